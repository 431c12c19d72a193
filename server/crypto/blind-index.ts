import "server-only";

import { createHmac } from "node:crypto";
import { deriveSubKey, type TKeyRing, type TMasterKey } from "./key-ring";

/**
 * Blind index: lets staff find a registrant by identifier and date of birth while the database
 * holds neither in clear. HMAC-SHA256 under a key derived from a master key for this purpose only;
 * without the key, the index cannot be brute-forced from the small space of identifiers.
 *
 * Format `bi1.<masterKeyId>.<hex>`. New rows use the active key; a search computes the index under
 * every key in the ring (`blindIndexCandidates`) so rows written before a rotation are still found,
 * and the rotation job rewrites stored indexes with `blindIndex` as it rewraps record keys.
 */
export type TBlindIndexInput = {
  /** Identifier scheme, e.g. `UK_NHS`; the same number under two schemes is two people. */
  scheme: string;
  identifier: string;
  /** ISO date `YYYY-MM-DD`. */
  dateOfBirth: string;
};

const PREFIX = "bi1";

/**
 * The canonical message: scheme, identifier without spacing or punctuation, upper-case, NFKC,
 * and the date, joined with a separator none of them may contain.
 */
export function blindIndexMessage({ scheme, identifier, dateOfBirth }: TBlindIndexInput): string {
  const id = identifier
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-./]/g, "");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth)) throw new Error("dateOfBirth must be YYYY-MM-DD");
  if (!id || !scheme || /[|]/.test(id + scheme)) throw new Error("scheme and identifier are required");
  return `${scheme.toUpperCase()}|${id}|${dateOfBirth}`;
}

function indexUnder(key: TMasterKey, input: TBlindIndexInput): string {
  const mac = createHmac("sha256", deriveSubKey(key, "blind-index/v1"))
    .update(blindIndexMessage(input), "utf8")
    .digest("hex");
  return `${PREFIX}.${key.id}.${mac}`;
}

/** How every index under the active key begins: the rotation finds the others with it in SQL. */
export function currentIndexPrefix(ring: TKeyRing): string {
  return `${PREFIX}.${ring.active.id}.`;
}

/** The index to store on a new or re-keyed row (active key). */
export function blindIndex({ ring, ...input }: { ring: TKeyRing } & TBlindIndexInput): string {
  return indexUnder(ring.active, input);
}

/** Every index the row could carry, active key first: search with `WHERE blindIndex IN (…)`. */
export function blindIndexCandidates({ ring, ...input }: { ring: TKeyRing } & TBlindIndexInput): string[] {
  return [...ring.keys.values()].map((key) => indexUnder(key, input));
}

import "server-only";

import { type KeyObject, verify } from "node:crypto";
import { eventHash, type THashedEvent } from "./hash";
import { checkSignaturesInPool, type TSignatureCheck } from "./signature-pool";
import { keyIdOf, publicKeyObject, signatureHolds } from "./signing-key";

/** The subject whose history is the portal's signing keys (introduction, then rotations). */
export const SIGNING_KEYS_SUBJECT = { type: "ledger", id: "signing-keys" } as const;

/** Where an event sits in the anchored order (batch, then leaf). */
export type TAnchorPlace = { batch: number; leafIndex: number };

/** An event with what its signature check needs. */
export type TSignedEvent = THashedEvent & {
  id: string;
  hash: string;
  signature: string | null;
  signedBy: string | null;
  place: TAnchorPlace | null;
};

export type TSigningKey = {
  keyId: string;
  publicKey: string;
  key: KeyObject;
  /** Recorded time of the rotation that retired it: it signs nothing recorded later. */
  retiredAt: string | null;
};

export type TKeyHistory = {
  keys: Map<string, TSigningKey>;
  /**
   * Where the first key's introduction was anchored: an unsigned event anchored before it was
   * recorded before the portal signed events. Null while it is not anchored.
   */
  introducedAt: TAnchorPlace | null;
  /** The key that signs now. */
  active: TSigningKey | null;
};

const ed25519Payload = (p: unknown) => {
  const o = (p ?? {}) as { keyId?: unknown; publicKey?: unknown; previousKeyId?: unknown };
  return typeof o.keyId === "string" && typeof o.publicKey === "string"
    ? { keyId: o.keyId, publicKey: o.publicKey, previousKeyId: o.previousKeyId }
    : null;
};

/**
 * The signing keys a key history establishes, trusting only what verifies: sequence 1 must be an
 * introduction signed by the key it introduces, and every later event a rotation signed by the key
 * then active, each with a hash that matches its content. Anything else establishes no key (the
 * ordinary checks name it). Precondition: `events` are the `ledger:signing-keys` subject's,
 * sorted by sequence.
 */
export function keyHistory(events: TSignedEvent[]): TKeyHistory {
  const history: TKeyHistory = { keys: new Map(), introducedAt: null, active: null };
  for (const e of events) {
    if (eventHash(e) !== e.hash || !e.signature) break;
    const p = ed25519Payload(e.payload);
    if (!p || keyIdOf(p.publicKey) !== p.keyId) break;
    let key: KeyObject;
    try {
      key = publicKeyObject(p.publicKey);
    } catch {
      break;
    }
    const signer =
      e.sequence === 1 && e.type === "ledger.signing_key.introduced"
        ? { keyId: p.keyId, key }
        : e.type === "ledger.signing_key.rotated" &&
            history.active &&
            p.previousKeyId === history.active.keyId
          ? history.active
          : null;
    if (!signer || e.signedBy !== signer.keyId || !signatureHolds(signer.key, e.hash, e.signature)) break;
    if (history.active) history.active.retiredAt = e.serverTime;
    else history.introducedAt = e.place;
    const entry = { keyId: p.keyId, publicKey: p.publicKey, key, retiredAt: null };
    history.keys.set(p.keyId, entry);
    history.active = entry;
  }
  return history;
}

/**
 * Whether each signed event's signature holds, checked on every core (`checkSignaturesInPool`):
 * a verifier starts this, does its hashing and proofs meanwhile, then passes the answers to
 * `signatureProblem`. Events whose key is unknown are left out.
 */
export async function signaturesHold(
  events: Iterable<{ id: string; hash: string; signature?: string | null; signedBy?: string | null }>,
  keys: TKeyHistory,
): Promise<Map<string, boolean>> {
  const keyList = [...keys.keys.values()];
  const keyIndex = new Map(keyList.map((k, i) => [k.keyId, i]));
  const ids: string[] = [];
  const checks: TSignatureCheck[] = [];
  for (const e of events) {
    const key = e.signedBy ? keyIndex.get(e.signedBy) : undefined;
    if (key === undefined || !e.signature) continue;
    ids.push(e.id);
    checks.push({
      hash: Buffer.from(e.hash.startsWith("0x") ? e.hash.slice(2) : e.hash, "hex"),
      signature: Buffer.from(e.signature, "base64"),
      key,
    });
  }
  const answers = await checkSignaturesInPool(
    keyList.map((k) => k.key.export({ format: "der", type: "spki" })),
    checks,
    (c) => {
      try {
        return verify(null, c.hash, (keyList[c.key] as TSigningKey).key, c.signature);
      } catch {
        return false;
      }
    },
  );
  return new Map(ids.map((id, i) => [id, answers[i] === true]));
}

/**
 * Why an event's signature does not hold, or null when it does. `holds`: the answer of
 * `signaturesHold` for it, when already checked.
 */
export function signatureProblem(
  e: Pick<TSignedEvent, "hash" | "serverTime"> & {
    signature?: string | null;
    signedBy?: string | null;
    place?: TAnchorPlace | null;
  },
  keys: TKeyHistory,
  holds?: boolean,
): string | null {
  if (!e.signature || !e.signedBy) {
    // A ledger from before the portal signed, whose key is not introduced yet (the callers name a
    // missing key history where batches show a signing portal was at work).
    if (keys.keys.size === 0) return null;
    const before =
      keys.introducedAt &&
      e.place &&
      (e.place.batch < keys.introducedAt.batch ||
        (e.place.batch === keys.introducedAt.batch && e.place.leafIndex < keys.introducedAt.leafIndex));
    return before
      ? null
      : "is not signed by the portal (and was not anchored before the portal signed events)";
  }
  const k = keys.keys.get(e.signedBy);
  if (!k) return `is signed by ${e.signedBy}, a key the ledger's key history never introduced`;
  if (k.retiredAt !== null && e.serverTime > k.retiredAt)
    return `is signed by ${k.keyId}, which was rotated away at ${k.retiredAt}, before this event`;
  if (!(holds ?? signatureHolds(k.key, e.hash, e.signature)))
    return `carries a signature by ${k.keyId} that does not hold for its hash (forged, or its hash was changed)`;
  return null;
}

/** The finding when a ledger (or bundle) anchored by a signing portal has no key history. */
export const MISSING_KEY_HISTORY = {
  check: "signature" as const,
  subject: `${SIGNING_KEYS_SUBJECT.type}:${SIGNING_KEYS_SUBJECT.id}`,
  message:
    "the portal's signing-key history is missing, although batches were anchored by a signing portal (leaf format 2): deleted",
};

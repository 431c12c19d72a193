import "server-only";

import { createHash } from "node:crypto";
import { eventHash, type THashedEvent } from "./hash";

/**
 * Content hashes already computed, by a SHA-256 of the content exactly as read (JSON.stringify, in
 * native code): a page that shows the same history again (an organ's provenance, read on every
 * visit) pays Keccak over canonical JSON only for content it has not seen. An insider's edit (a
 * payload changed under the same stored hash) is new content, so it is hashed again and found.
 */
const remembered = new Map<string, string>();
const MAX_REMEMBERED = 200_000;

function contentKey(e: THashedEvent): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        e.salt,
        e.subjectType,
        e.subjectId,
        e.sequence,
        e.type,
        e.schemaVersion,
        e.actor,
        e.serverTime,
        e.reportedTime,
        e.payload,
        e.prevHash,
      ]),
    )
    .digest("base64");
}

/** Each event's content hash (as `eventHash` computes it), by event id. */
export function rememberedEventHashes(events: Iterable<THashedEvent & { id: string }>): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) {
    const key = contentKey(e);
    let hash = remembered.get(key);
    if (hash === undefined) {
      hash = eventHash(e);
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(key, hash);
    }
    out.set(e.id, hash);
  }
  return out;
}

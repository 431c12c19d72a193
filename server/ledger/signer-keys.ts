import "server-only";

import { prisma } from "@/server/db";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { SIGNING_KEYS_SUBJECT } from "./key-history";
import { readEventsWithProofs } from "./read-events";
import type { TBundleBatch, TBundleEvent } from "./verify-events";

/**
 * Adds to a bundle's events the whole history of every passkey that signed one of them (subject
 * `passkey:<id>`, whose `passkey.enrolled` event carries the public key), with their proofs and
 * batches, so the offline verifier checks each signature from the bundle and the chain alone.
 */
export async function withSignerKeys(
  read: { events: TBundleEvent[]; batches: TBundleBatch[] },
  db: PrismaClient = prisma,
): Promise<{ events: TBundleEvent[]; batches: TBundleBatch[] }> {
  const present = new Set(read.events.filter((e) => e.subjectType === "passkey").map((e) => e.subjectId));
  const wanted = new Set<string>();
  for (const e of read.events) {
    if (e.type !== "signature.recorded") continue;
    const passkeyId = (e.payload as { passkeyId?: unknown }).passkeyId;
    if (typeof passkeyId === "string" && !present.has(passkeyId)) wanted.add(passkeyId);
  }
  if (wanted.size === 0) return read;
  const keys = await readEventsWithProofs({ subjectType: "passkey", subjectId: { in: [...wanted] } }, db);
  const batches = new Map(read.batches.map((b) => [b.index, b]));
  // A batch already read keeps its entry (with the heads of the subjects in scope).
  for (const b of keys.batches) if (!batches.has(b.index)) batches.set(b.index, b);
  return {
    events: [...read.events, ...keys.events],
    batches: [...batches.values()].sort((a, b) => a.index - b.index),
  };
}

/**
 * The portal's signing-key history (the whole `ledger:signing-keys` subject) beside a read, with the
 * batches its events are anchored in added to the read's: what `verifyEvents` needs to check every
 * portal signature (`signingKeys`), for a bundle and for a page alike.
 */
export async function withPortalKeys(
  read: { events: TBundleEvent[]; batches: TBundleBatch[] },
  db: PrismaClient = prisma,
): Promise<{ events: TBundleEvent[]; batches: TBundleBatch[]; signingKeys: TBundleEvent[] }> {
  const keys = await readEventsWithProofs(
    { subjectType: SIGNING_KEYS_SUBJECT.type, subjectId: SIGNING_KEYS_SUBJECT.id },
    db,
  );
  const known = new Set(read.batches.map((b) => b.index));
  const batches = [...read.batches, ...keys.batches.filter((b) => !known.has(b.index))].sort(
    (a, b) => a.index - b.index,
  );
  return { events: read.events, batches, signingKeys: keys.events };
}

import "server-only";

import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { prisma as defaultDb } from "@/server/db";
import { env } from "@/server/env";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { appendEvent, SYSTEM_ACTOR } from "./append-event";
import { keyHistory, SIGNING_KEYS_SUBJECT, type TKeyHistory, type TSignedEvent } from "./key-history";
import { portalSigner, setPortalSigner } from "./portal-signer";
import { bundleEventOf, type TLedgerEventRow } from "./read-events";
import {
  newSeed,
  replaceSigningKey,
  SIGNING_KEY_FILE,
  signerFromSeed,
  type TPortalSigner,
} from "./signing-key";

export type TKeyEventRow = TSignedEvent & { position: bigint };

/** The `ledger:signing-keys` subject as stored, in sequence order, with where each was anchored. */
export async function readKeyEvents(db: PrismaClient = defaultDb): Promise<TKeyEventRow[]> {
  const rows = await db.$queryRaw<
    Array<TLedgerEventRow & { position: bigint; batchId: number | null; leafIndex: number | null }>
  >`
    SELECT e.*, l."batchId", l."leafIndex"
    FROM "LedgerEvent" e LEFT JOIN "AnchorLeaf" l ON l."eventId" = e.id
    WHERE e."subjectType" = ${SIGNING_KEYS_SUBJECT.type} AND e."subjectId" = ${SIGNING_KEYS_SUBJECT.id}
    ORDER BY e.sequence`;
  return rows.map((r) => ({
    ...bundleEventOf(r),
    signature: r.signature,
    signedBy: r.signedBy,
    position: r.position,
    place: r.batchId === null || r.leafIndex === null ? null : { batch: r.batchId, leafIndex: r.leafIndex },
  }));
}

/** The key history the ledger establishes (see key-history.ts). */
export async function readKeyHistory(db: PrismaClient = defaultDb): Promise<TKeyHistory> {
  return keyHistory(await readKeyEvents(db));
}

/**
 * Records `signer`'s public key as the ledger's first signing key if the ledger has none yet.
 * Throws when the ledger's active key is another one: this portal would sign events no one could
 * check, so a person must restore the key file (or `LEDGER_SIGNING_KEY`) or record a rotation.
 */
export async function introduceSigningKey(opts: { signer: TPortalSigner; db?: PrismaClient }): Promise<void> {
  const db = opts.db ?? defaultDb;
  const history = keyHistory(await readKeyEvents(db));
  if (history.active?.keyId === opts.signer.keyId) return;
  if (history.active) {
    throw new Error(
      `the ledger's signing key is ${history.active.keyId}, but this portal holds ${opts.signer.keyId}: restore the key file in KEYS_DIR (or LEDGER_SIGNING_KEY), or record a rotation`,
    );
  }
  await db.$transaction(async (tx) => {
    // Under the subject's lock (taken by appendEvent) only the first introduction can be sequence 1.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`ledger:${SIGNING_KEYS_SUBJECT.type}:${SIGNING_KEYS_SUBJECT.id}`}, 0))`;
    const existing = await tx.ledgerEvent.count({
      where: { subjectType: SIGNING_KEYS_SUBJECT.type, subjectId: SIGNING_KEYS_SUBJECT.id },
    });
    if (existing > 0)
      throw new Error("the ledger's key history is not readable: refusing to introduce another key");
    await appendEvent({
      tx,
      subject: SIGNING_KEYS_SUBJECT,
      type: "ledger.signing_key.introduced",
      payload: { keyId: opts.signer.keyId, algorithm: "ed25519", publicKey: opts.signer.publicKey },
      actor: SYSTEM_ACTOR,
      signer: opts.signer,
    });
  });
}

/**
 * Records a rotation from `current` (the ledger's active key, which signs the record) to `next`.
 * From this event on, `current` signs nothing; the caller then makes `next` the process's key.
 */
export async function recordKeyRotation(opts: {
  current: TPortalSigner;
  next: TPortalSigner;
  db?: PrismaClient;
}): Promise<void> {
  const db = opts.db ?? defaultDb;
  const history = keyHistory(await readKeyEvents(db));
  if (history.active?.keyId !== opts.current.keyId) {
    throw new Error(
      `only the ledger's active signing key (${history.active?.keyId ?? "none yet"}) can record a rotation, not ${opts.current.keyId}`,
    );
  }
  await db.$transaction((tx) =>
    appendEvent({
      tx,
      subject: SIGNING_KEYS_SUBJECT,
      type: "ledger.signing_key.rotated",
      payload: {
        keyId: opts.next.keyId,
        algorithm: "ed25519",
        publicKey: opts.next.publicKey,
        previousKeyId: opts.current.keyId,
      },
      actor: SYSTEM_ACTOR,
      signer: opts.current,
    }),
  );
}

/**
 * Replaces the portal's signing key: a new key is made, its public key recorded in the ledger as a
 * rotation signed by the current key, then the key file in `keysDir` is replaced and this process
 * signs with the new key. Run it with the portal stopped (other instances would go on signing with
 * the retired key, and their events would be refused). The new seed is written beside the key file
 * before the rotation is recorded, so a crash in between loses nothing.
 */
export async function rotatePortalSigningKey(opts: {
  keysDir: string;
  db?: PrismaClient;
}): Promise<{ from: string; to: string }> {
  if (env().LEDGER_SIGNING_KEY) {
    throw new Error(
      "LEDGER_SIGNING_KEY is set: rotate by recording the new key with a key file instead of the variable",
    );
  }
  const current = portalSigner();
  const seed = newSeed();
  const next = signerFromSeed(seed);
  const pending = path.join(opts.keysDir, `${SIGNING_KEY_FILE}.next`);
  writeFileSync(pending, seed, { mode: 0o600, flag: "wx" });
  await recordKeyRotation({ current, next, db: opts.db });
  replaceSigningKey(opts.keysDir, seed);
  rmSync(pending, { force: true });
  setPortalSigner(next);
  return { from: current.keyId, to: next.keyId };
}

import "server-only";

import { blindIndex, currentIndexPrefix } from "@/server/crypto/blind-index";
import { dataKekFolder, dataKeyRing } from "@/server/crypto/data-key-ring";
import type { TKekFolder } from "@/server/crypto/kek-store";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { prisma as defaultDb, type Tx } from "@/server/db";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { decryptIdentity } from "./donor-record";
import { KEY_WAIT, lockDataKeysExclusive, lockDataKeysShared, WRAPPED_KEY_COLUMNS } from "./key-lock";
import { openable, rewrapColumnInTx, withTransactionOn } from "./rotate-key-encryption-key";

type TWrappedKeyColumn = (typeof WRAPPED_KEY_COLUMNS)[number];
/** `Table.column`, e.g. `PrivateNote.wrappedKey`. */
export type TWrappedKeyColumnName = `${TWrappedKeyColumn["table"]}.${TWrappedKeyColumn["column"]}`;

export type TRotationResult = {
  /** Data keys re-wrapped, for every column of WRAPPED_KEY_COLUMNS. */
  rewrapped: Record<TWrappedKeyColumnName, number>;
  /** Registrants whose blind index was recomputed under the new master key. */
  blindIndexes: number;
};

const nameOf = (c: TWrappedKeyColumn): TWrappedKeyColumnName => `${c.table}.${c.column}`;

/**
 * Key rotation: put the new master key first in DATA_ENCRYPTION_KEYS (keeping the old ones), give it
 * to every instance, run this, then remove the old keys. The key folder's KEKs are sealed again
 * under the new master key; every data key in WRAPPED_KEY_COLUMNS (registrants, authorisations,
 * private notes, candidates) is re-wrapped under the active KEK (or master key without a key
 * folder) and each registrant's blind index recomputed; field ciphertexts stay as they are.
 * All of it holds the data-key lock, so no erasure rotates the KEK (or rewrites the key folder)
 * between reading a key and writing it back. Safe to re-run: current rows are skipped. Rows are
 * updated only if unchanged, so a concurrent erasure is never undone.
 */
export async function rotateDataKeys({
  ring = dataKeyRing(),
  folder = ring.kek ? dataKekFolder() : null,
  batchSize = 2000,
  db = defaultDb,
}: {
  ring?: TKeyRing;
  folder?: TKekFolder | null;
  batchSize?: number;
  db?: PrismaClient;
} = {}): Promise<TRotationResult> {
  // The folder's KEKs as they are now, read once per batch under the lock (not once per row).
  const keys = (): TKeyRing => (folder ? { ...ring, kek: folder.snapshot() } : ring);
  await withTransactionOn(
    db,
    async (tx) => {
      // An erasure's KEK rotation rewrites the same file: not both at once.
      await lockDataKeysExclusive(tx);
      folder?.reseal();
    },
    KEY_WAIT,
  );

  const rewrapped = {} as Record<TWrappedKeyColumnName, number>;
  // One short exclusive transaction per batch (~0.2 s for 2,000 keys), not one for the whole
  // table: writers waiting for the lock (KEY_WAIT, 60 s) queue briefly, however many rows there are.
  for (const c of WRAPPED_KEY_COLUMNS) {
    rewrapped[nameOf(c)] = await inBatches((after) =>
      withTransactionOn(
        db,
        async (tx) => {
          await lockDataKeysExclusive(tx);
          const { table, column } = c;
          const batch = await rewrapColumnInTx({ tx, ring: keys(), table, column, after, limit: batchSize });
          return { count: batch.rewrapped, last: batch.last };
        },
        KEY_WAIT,
      ),
    );
  }
  const blindIndexes = await inBatches((after) =>
    withTransactionOn(
      db,
      async (tx) => {
        // Wraps no key: shared, as a reader holds it (no erasure destroys a KEK while we unwrap).
        await lockDataKeysShared(tx);
        return reindexDonorsInTx({ tx, ring: keys(), after, limit: batchSize });
      },
      KEY_WAIT,
    ),
  );
  return { rewrapped, blindIndexes };
}

/** Recomputes the blind index of the next `limit` registrants whose index is under an older master key. */
async function reindexDonorsInTx({
  tx,
  ring,
  after,
  limit,
}: {
  tx: Tx;
  ring: TKeyRing;
  after: string | null;
  limit: number;
}): Promise<{ count: number; last: string | null }> {
  const rows = await tx.$queryRawUnsafe<
    Array<{ id: string; wrappedKey: string; identityCiphertext: string; identityIndex: string | null }>
  >(
    `SELECT id::text AS id, "wrappedKey", "identityCiphertext", "identityIndex" FROM "Donor"
      WHERE "wrappedKey" IS NOT NULL AND "identityCiphertext" IS NOT NULL
        AND ("identityIndex" IS NULL OR NOT starts_with("identityIndex", $1))
        AND ($2::uuid IS NULL OR id > $2::uuid)
      ORDER BY id LIMIT $3::bigint`,
    currentIndexPrefix(ring),
    after,
    limit,
  );
  const todo = rows.flatMap((row) => {
    const identity = openable(ring, row.wrappedKey) ? decryptIdentity(ring, row) : null;
    if (!identity) return [];
    const index = blindIndex({
      ring,
      scheme: identity.identifier.scheme,
      identifier: identity.identifier.value,
      dateOfBirth: identity.dateOfBirth,
    });
    return [{ id: row.id, ciphertext: row.identityCiphertext, index }];
  });
  // Only while the identity is unchanged: an erasure (identity cleared) is never undone.
  const count =
    todo.length === 0
      ? 0
      : await tx.$executeRawUnsafe(
          `UPDATE "Donor" AS t SET "identityIndex" = v.idx
             FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, ct, idx)
            WHERE t.id = v.id AND t."identityCiphertext" = v.ct`,
          todo.map((r) => r.id),
          todo.map((r) => r.ciphertext),
          todo.map((r) => r.index),
        );
  return { count, last: rows.length === limit ? (rows.at(-1)?.id ?? null) : null };
}

/** Runs `step` over a table a batch at a time, each after the last one's `last` id; what they did, summed. */
async function inBatches(
  step: (after: string | null) => Promise<{ count: number; last: string | null }>,
): Promise<number> {
  let total = 0;
  let after: string | null = null;
  do {
    const batch: { count: number; last: string | null } = await step(after);
    total += batch.count;
    after = batch.last;
  } while (after);
  return total;
}

import "server-only";

import { rewrapRecordKey } from "@/server/crypto/envelope";
import type { TKekFolder } from "@/server/crypto/kek-store";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { prisma, type Tx, withTransaction } from "@/server/db";
import { lockDataKeysExclusive, WRAPPED_KEY_COLUMNS } from "./key-lock";

const CHUNK = 2000;

/** True when the ring can still open this wrapped key's wrapping key (else it is unreadable already). */
function openable(ring: TKeyRing, wrapped: string): boolean {
  const [prefix, keyId] = wrapped.split(".");
  if (prefix === "wk2") return Boolean(keyId && ring.kek?.get(keyId));
  if (prefix === "wk1") return Boolean(keyId && ring.keys.has(keyId));
  return false;
}

/**
 * Adds a new key-encryption key and re-wraps every stored data key under it, in the caller's
 * transaction, which must hold the data-key lock exclusively. The old KEKs stay in the folder until
 * `destroyUnusedKeks` runs after the commit: if this transaction rolls back, nothing is lost.
 * A key under a KEK that is already gone is left as it is (it was unreadable before).
 */
export async function rotateKekInTx({
  tx,
  ring,
  folder,
}: {
  tx: Tx;
  ring: TKeyRing;
  folder: TKekFolder;
}): Promise<{ kekId: string; rewrapped: number }> {
  const kek = folder.rotate();
  const current: TKeyRing = { ...ring, kek: folder.snapshot() };
  let rewrapped = 0;
  for (const { table, column } of WRAPPED_KEY_COLUMNS) {
    const rows = await tx.$queryRawUnsafe<Array<{ id: string; wrapped: string }>>(
      `SELECT id::text AS id, "${column}" AS wrapped FROM "${table}" WHERE "${column}" IS NOT NULL`,
    );
    const todo = rows.filter((r) => openable(current, r.wrapped));
    for (let i = 0; i < todo.length; i += CHUNK) {
      const chunk = todo.slice(i, i + CHUNK);
      const next = chunk.map((r) => rewrapRecordKey({ ring: current, wrappedKey: r.wrapped }));
      await tx.$executeRawUnsafe(
        `UPDATE "${table}" AS t SET "${column}" = v.k
           FROM unnest($1::uuid[], $2::text[]) AS v(id, k) WHERE t.id = v.id`,
        chunk.map((r) => r.id),
        next,
      );
      rewrapped += chunk.length;
    }
  }
  return { kekId: kek.id, rewrapped };
}

/**
 * Destroys every KEK in the folder that no stored data key is wrapped by any more (the active one
 * always stays). Runs after an erasure commits, and is safe to run at any time: under the exclusive
 * data-key lock, a KEK still referenced by a row is never removed.
 */
export async function destroyUnusedKeks({
  folder,
  db = prisma,
}: {
  folder: TKekFolder;
  db?: typeof prisma;
}): Promise<string[]> {
  return withTransactionOn(db, async (tx) => {
    await lockDataKeysExclusive(tx);
    const used = new Set<string>();
    for (const { table, column } of WRAPPED_KEY_COLUMNS) {
      const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(
        `SELECT DISTINCT split_part("${column}", '.', 2) AS id FROM "${table}" WHERE "${column}" LIKE 'wk2.%'`,
      );
      for (const r of rows) used.add(r.id);
    }
    return folder.destroyExcept(used);
  });
}

function withTransactionOn<T>(db: typeof prisma, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db === prisma ? withTransaction(fn) : db.$transaction(fn);
}

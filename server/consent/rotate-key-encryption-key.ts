import "server-only";

import { currentWrapPrefix, rewrapRecordKey } from "@/server/crypto/envelope";
import type { TKekFolder } from "@/server/crypto/kek-store";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { prisma, TRANSACTION_MAX_WAIT_MS, type Tx, withTransaction } from "@/server/db";
import { lockDataKeysExclusive, WRAPPED_KEY_COLUMNS } from "./key-lock";

const CHUNK = 2000;

/** True when the ring can still open this wrapped key's wrapping key (else it is unreadable already). */
export function openable(ring: TKeyRing, wrapped: string): boolean {
  const [prefix, keyId] = wrapped.split(".");
  if (prefix === "wk2") return Boolean(keyId && ring.kek?.get(keyId));
  if (prefix === "wk1") return Boolean(keyId && ring.keys.has(keyId));
  return false;
}

/**
 * Re-wraps under the ring's current key (see `currentWrapPrefix`) the data keys of one column of
 * WRAPPED_KEY_COLUMNS that are not under it yet: all of them, or with `limit` the next `limit` such
 * rows in id order after `after` (`last` is where the next batch starts, null at the end). The
 * caller's transaction holds the data-key lock exclusively. A row is updated only if its key is
 * unchanged, so a key an erasure cleared is never brought back; a key under a KEK or master key
 * that is already gone is left as it is (it was unreadable before).
 */
export async function rewrapColumnInTx({
  tx,
  ring,
  table,
  column,
  after = null,
  limit = null,
}: {
  tx: Tx;
  ring: TKeyRing;
  table: string;
  column: string;
  after?: string | null;
  limit?: number | null;
}): Promise<{ rewrapped: number; last: string | null }> {
  const rows = await tx.$queryRawUnsafe<Array<{ id: string; wrapped: string }>>(
    `SELECT id::text AS id, "${column}" AS wrapped FROM "${table}"
      WHERE "${column}" IS NOT NULL AND NOT starts_with("${column}", $1) AND ($2::uuid IS NULL OR id > $2::uuid)
      ORDER BY id LIMIT $3::bigint`,
    currentWrapPrefix(ring),
    after,
    limit,
  );
  const todo = rows.filter((r) => openable(ring, r.wrapped));
  let rewrapped = 0;
  for (let i = 0; i < todo.length; i += CHUNK) {
    const chunk = todo.slice(i, i + CHUNK);
    rewrapped += await tx.$executeRawUnsafe(
      `UPDATE "${table}" AS t SET "${column}" = v.k
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, old, k)
        WHERE t.id = v.id AND t."${column}" = v.old`,
      chunk.map((r) => r.id),
      chunk.map((r) => r.wrapped),
      chunk.map((r) => rewrapRecordKey({ ring, wrappedKey: r.wrapped })),
    );
  }
  const last = limit !== null && rows.length === limit ? (rows.at(-1)?.id ?? null) : null;
  return { rewrapped, last };
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
    rewrapped += (await rewrapColumnInTx({ tx, ring: current, table, column })).rewrapped;
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

/** `withTransaction` on this client (the portal's, or a test's own schema's). */
export function withTransactionOn<T>(
  db: typeof prisma,
  fn: (tx: Tx) => Promise<T>,
  opts: { timeoutMs?: number } = {},
): Promise<T> {
  return db === prisma
    ? withTransaction(fn, opts)
    : db.$transaction(fn, { timeout: opts.timeoutMs, maxWait: TRANSACTION_MAX_WAIT_MS });
}

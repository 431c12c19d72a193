import "server-only";

import { sqlOf, type TSql, type Tx, withSqlTransaction } from "@/server/db";

/**
 * The lock between wrapping data keys and rotating the key-encryption key. A write that wraps a new
 * data key holds it shared until commit; an erasure (which rotates the KEK and re-wraps every key)
 * holds it exclusively, so no row can be written under a KEK that is about to be destroyed.
 * Take it before any row lock, so writers and erasures always lock in the same order.
 */
const KEY_LOCK = "data-keys:kek";

/**
 * Transactions that already hold the lock (it is released only at their end): a writer that wraps
 * several keys, or calls a helper that takes the lock itself, asks the database once.
 */
const holding = new WeakSet<Tx | TSql>();

/** Takes the lock shared until the transaction ends (a constant statement: it can go with BEGIN). */
const LOCK_SHARED_SQL = `SELECT pg_advisory_xact_lock_shared(hashtextextended('${KEY_LOCK}', 0))`;

export async function lockDataKeysShared(tx: Tx | TSql): Promise<void> {
  if (holding.has(tx)) return;
  await sqlOf(tx).exec(LOCK_SHARED_SQL);
  holding.add(tx);
}

/**
 * A direct SQL transaction holding the lock shared from its first round trip (sent with BEGIN):
 * for a hot write that may wrap a data key (a custody step with a note).
 */
export function withSqlTransactionHoldingDataKeys<T>(fn: (sql: TSql) => Promise<T>): Promise<T> {
  return withSqlTransaction(
    (sql) => {
      holding.add(sql);
      return fn(sql);
    },
    { begin: LOCK_SHARED_SQL },
  );
}

export async function lockDataKeysExclusive(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${KEY_LOCK}, 0))`;
  holding.add(tx);
}

/**
 * Transaction options for writes that take the lock shared: they may wait for an erasure's
 * re-wrap of every key (seconds at hundreds of thousands of registrants) instead of timing out.
 */
export const KEY_WAIT = { timeoutMs: 60_000 } as const;

/** Every column holding a wrapped data key; a new one must be listed here to be re-wrapped. */
export const WRAPPED_KEY_COLUMNS = [
  { table: "Donor", column: "wrappedKey" },
  { table: "ConsentVersion", column: "wrappedKey" },
  { table: "PrivateNote", column: "wrappedKey" },
  { table: "Candidate", column: "wrappedKey" },
] as const;

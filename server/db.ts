import "server-only";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { connectionOptions, parseDatabaseUrl } from "@/server/db/database-url";
import { sendDatesAsUtc, utcTimestampTypes } from "@/server/db/utc-timestamps";
import { env } from "@/server/env";
import { type Prisma, PrismaClient } from "@/server/generated/prisma/client";

/** A transaction client: what domain services take as `tx` so their writes join the caller's. */
export type Tx = Prisma.TransactionClient;

/**
 * The least-privilege role's URL when one is given for the same schema as DATABASE_URL; a test that
 * points DATABASE_URL at a schema of its own connects as the owner of that schema.
 */
function appUrl(): string | undefined {
  const { DATABASE_URL: owner, DATABASE_APP_URL: app } = env();
  if (!owner || !app) return app ?? owner;
  return parseDatabaseUrl(app).schema === parseDatabaseUrl(owner).schema ? app : owner;
}

type TDatabase = { prisma: PrismaClient; pool: pg.Pool };

function createClient(): TDatabase {
  const url = appUrl();
  if (!url) {
    throw new Error("DATABASE_URL is not set (`npm start` sets it after starting the embedded PostgreSQL)");
  }
  const { connectionString, schema } = parseDatabaseUrl(url);
  sendDatesAsUtc();
  // One pool for Prisma and for the few writes that run their SQL directly (withSqlTransaction).
  const pool = new pg.Pool({
    connectionString,
    options: connectionOptions(schema),
    types: utcTimestampTypes,
    connectionTimeoutMillis: TRANSACTION_MAX_WAIT_MS,
  });
  // A pooled connection the server closed (restart, fail-over) is dropped; the next request gets a
  // fresh one. Without a listener, the pool's error would end the process.
  pool.on("error", (err) => console.error(`[db] idle connection lost: ${err.message}`));
  return { prisma: new PrismaClient({ adapter: new PrismaPg(pool, { schema }) }), pool };
}

// Kept on globalThis in development so hot reloads do not open a new pool each time.
const globalForPrisma = globalThis as unknown as { __portalDatabase?: TDatabase };
let database: TDatabase | undefined;

function getDatabase(): TDatabase {
  if (database) return database;
  database = globalForPrisma.__portalDatabase ?? createClient();
  if (env().NODE_ENV !== "production") globalForPrisma.__portalDatabase = database;
  return database;
}

/** The one Prisma client, built on first use from the validated environment. */
export function getPrisma(): PrismaClient {
  return getDatabase().prisma;
}

/**
 * The one Prisma client. A lazy stand-in, so importing this module never reads the environment:
 * the launcher sets DATABASE_URL (e.g. after starting the embedded PostgreSQL) before first use.
 */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const real = getPrisma();
    const value = Reflect.get(real, prop, real);
    return typeof value === "function" ? value.bind(real) : value;
  },
});

/**
 * How long a transaction may wait for a pooled connection. Prisma's 2 s default turned a burst (fifty
 * people answering one offer at once, each briefly holding the organ's lock) into errors for people
 * who only had to queue; past this the request gets a 503 to retry, never a half-written state.
 */
export const TRANSACTION_MAX_WAIT_MS = 15_000;

/**
 * Runs `fn` in one interactive transaction: a state change and its ledger event commit together
 * or not at all. Side effects (socket pushes, anchoring) belong after this resolves.
 */
export function withTransaction<T>(
  fn: (tx: Tx) => Promise<T>,
  opts: { isolationLevel?: Prisma.TransactionIsolationLevel; timeoutMs?: number } = {},
): Promise<T> {
  return getPrisma().$transaction(fn, {
    isolationLevel: opts.isolationLevel,
    timeout: opts.timeoutMs,
    maxWait: TRANSACTION_MAX_WAIT_MS,
  });
}

/** Closes the pool (graceful shutdown, end of a test file). */
export async function disconnectPrisma(): Promise<void> {
  const current = database ?? globalForPrisma.__portalDatabase;
  database = undefined;
  globalForPrisma.__portalDatabase = undefined;
  await current?.prisma.$disconnect();
  await current?.pool.end();
}

/**
 * SQL run directly on a pooled connection, for the hottest writes (a custody step: hundreds a
 * second at peak), where Prisma's per-statement work was most of the cost. Parameters are `$1…`;
 * rows come back as node-postgres reads them (timestamptz as Date, jsonb parsed, int8 as string),
 * so statements select times as timestamptz and counts as int. A `timestamp` without zone reads as
 * UTC on the portal's pool (server/db/utc-timestamps.ts), but a TSql may wrap a Prisma transaction.
 */
export type TSql = {
  kind: "sql";
  /** Outside any transaction, each statement on whichever connection is free (`directSql`). */
  autocommit?: true;
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  /** A statement whose result is not read (locks, inserts, updates). */
  exec(text: string, values?: unknown[]): Promise<void>;
};

/**
 * The same statements on a Prisma transaction, so a helper shared by Prisma callers and direct
 * ones (appending a ledger event, writing a note, taking a lock) is written once.
 */
export function sqlOf(db: Tx | TSql): TSql {
  if (isSql(db)) return db;
  const tx = db as Tx;
  return {
    kind: "sql",
    query: <R>(text: string, values: unknown[] = []) => tx.$queryRawUnsafe<R[]>(text, ...values),
    exec: async (text: string, values: unknown[] = []) => {
      await tx.$executeRawUnsafe(text, ...values);
    },
  };
}

/**
 * Statement names by text, shared by every connection. A direct statement with parameters is
 * prepared once per connection and then only bound and executed: the provenance read's main
 * statement spent 1.5 ms of PostgreSQL's CPU on planning each time. The texts are the hot paths'
 * constants; a text built anew each call would name statements without end, so past a bound the
 * rest stay unnamed. Statements without parameters may hold several commands and stay unnamed.
 */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 500;

function statement(text: string, values: unknown[] | undefined): pg.QueryConfig | string {
  if (!values?.length) return text;
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `portal_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}

/** One statement on a client or the pool, prepared where `statement` names it. */
async function runStatement<R>(on: pg.Pool | pg.PoolClient, text: string, values?: unknown[]): Promise<R[]> {
  const config = statement(text, values);
  const result = typeof config === "string" ? await on.query(config) : await on.query(config);
  return result.rows as R[];
}

/** Whether `db` is direct SQL (TSql) rather than a Prisma client or transaction. */
export function isSql(db: unknown): db is TSql {
  return (db as Partial<TSql>).kind === "sql";
}

/**
 * Direct SQL on the pool outside a transaction, each statement on whichever connection is free:
 * for reads on a hot path after a commit (the organ's row for a custody step's live push).
 */
export function directSql(): TSql {
  const { pool } = getDatabase();
  return {
    kind: "sql",
    autocommit: true,
    query: <R>(text: string, values?: unknown[]) => runStatement<R>(pool, text, values),
    exec: async (text: string, values?: unknown[]) => {
      await runStatement(pool, text, values);
    },
  };
}

/** The TSql for a reader that takes any handle: itself, the pool for the shared client, or a Prisma transaction's. */
export function sqlFor(db: TSql | PrismaClient | Tx): TSql {
  if (isSql(db)) return db;
  return db === prisma ? directSql() : sqlOf(db as Tx);
}

/**
 * Several statements without parameters in one round trip, outside any transaction: PostgreSQL runs
 * them as one implicit transaction (all or none; an error leaves the connection clean), each on a
 * snapshot of its own. Returns the rows of the last.
 */
export async function directStatements<R>(text: string): Promise<R[]> {
  const result = (await getDatabase().pool.query(text)) as pg.QueryResult | pg.QueryResult[];
  const results = Array.isArray(result) ? result : [result];
  return (results.at(-1)?.rows ?? []) as R[];
}

/** The longest a direct transaction's statement may wait (a lock held by an erasure re-wrapping keys). */
const SQL_STATEMENT_TIMEOUT_MS = 60_000;

/**
 * Runs `fn` in one transaction on a pooled connection, with `TSql` instead of Prisma: committed
 * together or rolled back together, like withTransaction. Side effects belong after it resolves.
 */
export async function withSqlTransaction<T>(
  fn: (sql: TSql) => Promise<T>,
  opts: {
    /** A statement without parameters sent with BEGIN, in the same round trip (a lock every caller takes first). */
    begin?: string;
  } = {},
): Promise<T> {
  const { conn, sql, lost } = await checkOut();
  let broken: unknown;
  try {
    await conn.query(
      `BEGIN; SET LOCAL statement_timeout = ${SQL_STATEMENT_TIMEOUT_MS}${opts.begin ? `; ${opts.begin}` : ""}`,
    );
    const result = await fn(sql);
    await conn.query("COMMIT");
    return result;
  } catch (err) {
    try {
      await conn.query("ROLLBACK");
    } catch (rollbackErr) {
      broken = rollbackErr; // the connection is unusable: drop it instead of pooling it
    }
    throw err;
  } finally {
    const unusable = lost() ?? (broken instanceof Error ? broken : undefined);
    conn.release(unusable);
  }
}

/**
 * Runs `fn` on one pooled connection, each statement committed on its own (no transaction): for a
 * read of a few statements that, under load, should not queue for the pool once per statement.
 */
export async function withSqlConnection<T>(fn: (sql: TSql) => Promise<T>): Promise<T> {
  const { conn, sql, lost } = await checkOut();
  try {
    return await fn({ ...sql, autocommit: true });
  } finally {
    conn.release(lost());
  }
}

/**
 * A pooled connection and its TSql. The server may close the connection between two statements
 * (restart, fail-over): the next statement fails; unheard, the client's error would end the
 * process. `lost()` stops listening and gives that error, so the connection is dropped, not pooled.
 */
async function checkOut(): Promise<{ conn: pg.PoolClient; sql: TSql; lost: () => Error | undefined }> {
  const conn = await getDatabase().pool.connect();
  let error: Error | undefined;
  const onLost = (err: Error) => {
    error = err;
  };
  conn.on("error", onLost);
  return {
    conn,
    sql: {
      kind: "sql",
      query: <R>(text: string, values?: unknown[]) => runStatement<R>(conn, text, values),
      exec: async (text: string, values?: unknown[]) => {
        await runStatement(conn, text, values);
      },
    },
    lost: () => {
      conn.removeListener("error", onLost);
      return error;
    },
  };
}

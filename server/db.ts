import "server-only";

import { PrismaPg } from "@prisma/adapter-pg";
import { parseDatabaseUrl, searchPathOption } from "@/server/db/database-url";
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

function createClient(): PrismaClient {
  const url = appUrl();
  if (!url) {
    throw new Error("DATABASE_URL is not set (`npm start` sets it after starting the embedded PostgreSQL)");
  }
  const { connectionString, schema } = parseDatabaseUrl(url);
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, options: searchPathOption(schema) }, { schema }),
  });
}

// Kept on globalThis in development so hot reloads do not open a new pool each time.
const globalForPrisma = globalThis as unknown as { __portalPrisma?: PrismaClient };
let client: PrismaClient | undefined;

/** The one Prisma client, built on first use from the validated environment. */
export function getPrisma(): PrismaClient {
  if (client) return client;
  client = globalForPrisma.__portalPrisma ?? createClient();
  if (env().NODE_ENV !== "production") globalForPrisma.__portalPrisma = client;
  return client;
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
  const current = client ?? globalForPrisma.__portalPrisma;
  client = undefined;
  globalForPrisma.__portalPrisma = undefined;
  await current?.$disconnect();
}

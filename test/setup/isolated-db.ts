import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { connectionOptions, parseDatabaseUrl, withSchema } from "@/server/db/database-url";
import { migrate } from "@/server/db/migrate";
import { PrismaClient } from "@/server/generated/prisma/client";
import { SIGNING_KEY_FILE } from "@/server/ledger/signing-key";

/**
 * A fresh, migrated schema on the integration run's PostgreSQL, with its own Prisma client: for
 * tests that need a ledger nobody else writes to (anchoring, tampering, audits).
 */
export async function createIsolatedDatabase(prefix = "iso"): Promise<{
  url: string;
  schema: string;
  db: PrismaClient;
  /** Runs SQL with triggers off, as an attacker with database access could. */
  tamper(sql: string, params?: unknown[]): Promise<void>;
  drop(): Promise<void>;
}> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set: run through the integration project");
  const schema = `${prefix}_${randomBytes(4).toString("hex")}`;
  const url = withSchema(base, schema);
  await migrate({ url, log: () => {} });
  const { connectionString } = parseDatabaseUrl(url);
  const db = new PrismaClient({
    adapter: new PrismaPg({ connectionString, options: connectionOptions(schema) }, { schema }),
  });
  return {
    url,
    schema,
    db,
    async tamper(sql, params = []) {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        await client.query("BEGIN");
        await client.query(`SET LOCAL search_path TO "${schema}"`);
        await client.query("SET LOCAL session_replication_role = replica");
        await client.query(sql, params);
        await client.query("COMMIT");
      } finally {
        await client.end();
      }
    },
    async drop() {
      await db.$disconnect();
      const client = new pg.Client({ connectionString });
      await client.connect();
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/**
 * Points the portal's one Prisma client (what the routers and domain modules use) at a fresh schema
 * of this test file's own, so rankings over the whole waiting list see only this file's candidates.
 * Call in beforeAll; `drop()` in afterAll disconnects the client and removes the schema.
 * The schema gets its own key folder too: an erasure here rotates the key-encryption key and then
 * destroys every KEK no row of *this* schema uses, which in a shared folder would destroy the keys
 * of every other schema's rows.
 */
export async function usePortalOnIsolatedDatabase(prefix: string) {
  const iso = await createIsolatedDatabase(prefix);
  const { disconnectPrisma } = await import("@/server/db");
  const { resetEnvCache } = await import("@/server/env");
  await disconnectPrisma();
  process.env.DATABASE_URL = iso.url;
  useOwnKeyFolder(iso.schema);
  resetEnvCache();
  return {
    ...iso,
    async drop() {
      await disconnectPrisma();
      await iso.drop();
    },
  };
}

/**
 * Gives this test file's schema its own key folder (call with `process.env.DATABASE_URL` pointed at
 * the schema, before `resetEnvCache()`): an erasure on the run's shared schema destroys every KEK
 * no row of *that* schema uses, which in a shared folder would destroy the keys of this schema's
 * rows (and an erasure here, the shared schema's).
 */
export function useOwnKeyFolder(schema: string): void {
  const keysDir = process.env.KEYS_DIR;
  if (!keysDir) return;
  const own = path.join(keysDir, schema);
  mkdirSync(own, { recursive: true, mode: 0o700 });
  // The ledger-signing key stays the run's (only the KEKs are per schema).
  const signing = path.join(keysDir, SIGNING_KEY_FILE);
  if (existsSync(signing)) copyFileSync(signing, path.join(own, SIGNING_KEY_FILE));
  process.env.KEYS_DIR = own;
}

import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { parseDatabaseUrl, searchPathOption, withSchema } from "@/server/db/database-url";
import { migrate } from "@/server/db/migrate";
import { PrismaClient } from "@/server/generated/prisma/client";

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
    adapter: new PrismaPg({ connectionString, options: searchPathOption(schema) }, { schema }),
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

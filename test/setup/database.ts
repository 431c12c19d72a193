import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { dropAppRole, ensureAppRole } from "@/server/db/app-role";
import { parseDatabaseUrl, quoteIdent, withSchema } from "@/server/db/database-url";
import { migrate } from "@/server/db/migrate";
import { startEmbeddedPostgres } from "@/server/runtime/database";

const quiet = () => {};

/**
 * One migrated database for an integration run. With DATABASE_URL (CI against a shared server) a
 * fresh schema `test_<random>` on that server, dropped at the end; without, an embedded PostgreSQL
 * in a fresh folder under .test-data/, removed at the end. DATABASE_URL is the owner's (tests read and
 * tamper as the owner); DATABASE_APP_URL is the portal's least-privilege role, which the portal's
 * client uses, so every test exercises the grants production runs with.
 */
export async function startTestDatabase(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const started = Date.now();
  const external = process.env.DATABASE_URL;
  if (external) {
    const schema = `test_${randomBytes(6).toString("hex")}`;
    const url = withSchema(external, schema);
    await migrate({ url, log: quiet });
    const app = await ensureAppRole({ ownerUrl: url, password: randomBytes(16).toString("hex") });
    console.log(`[test-db] schema ${schema} migrated in ${Date.now() - started} ms`);
    return {
      env: { DATABASE_URL: url, DATABASE_APP_URL: app.url },
      stop: async () => {
        const client = new pg.Client({ connectionString: parseDatabaseUrl(external).connectionString });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
        } finally {
          await client.end();
        }
        await dropAppRole({ ownerUrl: url, schema });
      },
    };
  }

  const dir = path.resolve(".test-data", `pg-${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg") });
  let appUrl: string;
  try {
    await migrate({ url: server.url, log: quiet });
    appUrl = (await ensureAppRole({ ownerUrl: server.url, password: randomBytes(16).toString("hex") })).url;
  } catch (err) {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  console.log(`[test-db] embedded PostgreSQL started and migrated in ${Date.now() - started} ms`);
  return {
    env: { DATABASE_URL: server.url, DATABASE_APP_URL: appUrl },
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

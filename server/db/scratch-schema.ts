import "server-only";

import { randomBytes } from "node:crypto";
import pg from "pg";
import { parseDatabaseUrl, quoteIdent, withSchema } from "./database-url";

/**
 * For integration tests: an empty schema on the server of `baseUrl` (the run's DATABASE_URL), so
 * a test can migrate from scratch without touching the shared test schema. `drop()` removes it.
 */
export async function createScratchSchema(baseUrl: string, prefix = "scratch") {
  const schema = `${prefix}_${randomBytes(6).toString("hex")}`;
  const { connectionString } = parseDatabaseUrl(baseUrl);
  const run = async (sql: string, searchPath?: string) => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      if (searchPath) await client.query(`SET search_path TO ${quoteIdent(searchPath)}`);
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    schema,
    url: withSchema(baseUrl, schema),
    /** Runs SQL with this schema first on the search path. */
    query: (sql: string) => run(sql, schema),
    drop: async () => {
      await run(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    },
  };
}

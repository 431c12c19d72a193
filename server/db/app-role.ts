import "server-only";

import pg from "pg";
import { parseDatabaseUrl, quoteIdent } from "./database-url";

/**
 * The role the portal connects as. Migrations run as the owner of `DATABASE_URL`; the running
 * portal gets a login role that may only read and write the rows of its own schema: it owns
 * nothing (so it cannot disable the ledger's triggers or alter a table), is no superuser (so it
 * cannot read files, the WAL or `pg_authid`, set `session_replication_role`, or load a library), and
 * has no CREATE on the database or the schema (so it cannot install an extension or a function).
 */
export function appRoleName(schema: string): string {
  // One role per schema, so test runs side by side on one server never share a role or password.
  return (schema === "public" ? "portal_app" : `portal_app_${schema}`).toLowerCase().slice(0, 63);
}

/** Roles are cluster-wide and PostgreSQL refuses concurrent changes to one: serialise the set-up. */
const ROLE_LOCK = "portal:app-role";

/**
 * Creates or updates the portal's role for the schema of `ownerUrl` and grants it exactly what the
 * portal needs; idempotent and safe when several starters run at once. Call after migrating (the
 * grants cover the tables that exist). Returns the URL to connect as that role.
 */
export async function ensureAppRole({
  ownerUrl,
  password,
}: {
  ownerUrl: string;
  password: string;
}): Promise<{ url: string; role: string }> {
  const { connectionString, schema } = parseDatabaseUrl(ownerUrl);
  const role = appRoleName(schema);
  const r = quoteIdent(role);
  const s = quoteIdent(schema);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [ROLE_LOCK]);
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(password)}`;
    await client.query(`${exists.rowCount ? "ALTER" : "CREATE"} ROLE ${r} ${attributes}`);
    await client.query(`REVOKE ALL ON SCHEMA ${s} FROM ${r}`);
    await client.query(`GRANT USAGE ON SCHEMA ${s} TO ${r}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`);
    await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`);
    // Migration bookkeeping is the owner's alone.
    await client.query(`REVOKE ALL ON TABLE ${s}."_prisma_migrations" FROM ${r}`);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = encodeURIComponent(password);
  return { url: url.toString(), role };
}

/** Drops the role of a schema that was dropped (test runs); nothing else may still depend on it. */
export async function dropAppRole({ ownerUrl, schema }: { ownerUrl: string; schema: string }): Promise<void> {
  const client = new pg.Client({ connectionString: parseDatabaseUrl(ownerUrl).connectionString });
  await client.connect();
  try {
    await client.query(`DROP ROLE IF EXISTS ${quoteIdent(appRoleName(schema))}`);
  } finally {
    await client.end();
  }
}

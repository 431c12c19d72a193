import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "@/server/db";
import { appRoleName, ensureAppRole } from "./app-role";
import { parseDatabaseUrl, quoteIdent } from "./database-url";

/**
 * The portal's own connection is a least-privilege role: what an attacker who takes over the
 * portal's process (or its database password) can do through it is read and write rows, no more.
 */
const appUrl = parseDatabaseUrl(process.env.DATABASE_APP_URL ?? "");
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: appUrl.connectionString });
  await client.connect();
  await client.query(`SET search_path TO ${quoteIdent(appUrl.schema)}`);
});
afterAll(async () => {
  await client.end();
  await disconnectPrisma();
});

async function refused(sql: string): Promise<string> {
  try {
    await client.query(sql);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`the portal's role was allowed: ${sql}`);
}

describe("the portal's database role", () => {
  it("is what the portal's own client connects as: no superuser, owner of nothing", async () => {
    const [me] = await prisma.$queryRaw<Array<{ user: string; superuser: boolean; createdb: boolean }>>`
      SELECT current_user AS "user", r.rolsuper AS superuser, has_database_privilege(current_database(), 'CREATE') AS createdb
        FROM pg_roles r WHERE r.rolname = current_user`;
    expect(me).toEqual({ user: appRoleName(appUrl.schema), superuser: false, createdb: false });
    const owned = await client.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND pg_get_userbyid(c.relowner) = current_user`,
      [appUrl.schema],
    );
    expect(owned.rows).toEqual([]);
    expect((await client.query('SELECT count(*) FROM "Donor"')).rows).toHaveLength(1);
  });

  it("cannot disable triggers, replay as a replica, truncate the ledger or change the schema", async () => {
    expect(await refused('ALTER TABLE "LedgerEvent" DISABLE TRIGGER ALL')).toMatch(/must be owner/);
    expect(await refused("SET session_replication_role = replica")).toMatch(/permission denied/);
    expect(await refused('TRUNCATE "LedgerEvent"')).toMatch(/permission denied/);
    // With a row present, the append-only triggers (which the role cannot disable) refuse changes.
    await client.query(
      `INSERT INTO "LedgerEvent" (id, "subjectType", "subjectId", sequence, type, "schemaVersion", "serverTime", payload, salt, hash)
       VALUES (gen_random_uuid(), 'ledger_test', gen_random_uuid()::text, 1, 'ledger.test', 1, now(), '{}', '00', gen_random_uuid()::text)`,
    );
    expect(await refused('DELETE FROM "LedgerEvent"')).toMatch(/append-only/);
    expect(await refused('UPDATE "LedgerEvent" SET type = type')).toMatch(/append-only/);
    expect(await refused("CREATE TABLE stolen (x int)")).toMatch(/permission denied/);
    expect(await refused('DROP TABLE "Donor"')).toMatch(/must be owner/);
    expect(await refused('SELECT * FROM "_prisma_migrations"')).toMatch(/permission denied/);
  });

  it("cannot read system internals or files, nor load an extension or a library", async () => {
    expect(await refused("SELECT rolpassword FROM pg_authid")).toMatch(/permission denied/);
    expect(await refused("SELECT pg_read_binary_file('PG_VERSION')")).toMatch(/permission denied/);
    expect(await refused("SELECT * FROM pg_ls_waldir()")).toMatch(/permission denied/);
    expect(await refused("LOAD 'pageinspect'")).toMatch(/not allowed|permission denied/);
    expect(await refused("CREATE EXTENSION pgcrypto")).toMatch(
      /permission denied|must be superuser|already exists/,
    );
    expect(await refused("CREATE ROLE helper SUPERUSER")).toMatch(/permission denied|must be superuser/);
    expect(await refused("COPY (SELECT 1) TO '/tmp/x'")).toMatch(/permission denied|must be superuser/);
  });

  it("set-up is idempotent and safe when several starters run it at once", async () => {
    const owner = process.env.DATABASE_URL as string;
    const password = new URL(process.env.DATABASE_APP_URL as string).password;
    const results = await Promise.all(
      Array.from({ length: 4 }, () => ensureAppRole({ ownerUrl: owner, password })),
    );
    expect(new Set(results.map((r) => r.role))).toEqual(new Set([appRoleName(appUrl.schema)]));
    expect((await prisma.$queryRaw<Array<{ one: number }>>`SELECT 1 AS one`)[0]?.one).toBe(1);
  });
});

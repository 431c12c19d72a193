import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "./database-url";
import { migrate } from "./migrate";
import { checksumOf, DEFAULT_MIGRATIONS_DIR, readMigrations } from "./migrations-dir";
import { createScratchSchema } from "./scratch-schema";

const baseUrl = process.env.DATABASE_URL as string;
const quiet = { log: () => {} };
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function scratch() {
  const s = await createScratchSchema(baseUrl, "mig");
  cleanups.push(s.drop);
  return s;
}

function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-migrations-"));
  cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("migrate", () => {
  it("applies every migration to an empty schema, records them as Prisma does, and is idempotent", async () => {
    const s = await scratch();
    const all = readMigrations().map((m) => m.name);
    expect(await migrate({ url: s.url, ...quiet })).toEqual({ applied: all, unknown: [] });
    expect(await migrate({ url: s.url, ...quiet })).toEqual({ applied: [], unknown: [] });

    const { rows } = await s.query(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(all);
    for (const row of rows) {
      const file = path.join(DEFAULT_MIGRATIONS_DIR, row.migration_name, "migration.sql");
      expect(row.checksum).toBe(checksumOf(readFileSync(file)));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
    // Applied into the named schema, not into public.
    const tables = await s.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${s.schema}' ORDER BY 1`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        "AnchorBatch",
        "AnchorLeaf",
        "LedgerEvent",
        "Organisation",
        "User",
        "_prisma_migrations",
      ]),
    );
  });

  it("refuses to run when an applied migration's file has changed", async () => {
    const s = await scratch();
    const dir = copyOfMigrations();
    await migrate({ url: s.url, migrationsDir: dir, ...quiet });
    const [first] = readMigrations(dir);
    writeFileSync(
      path.join(dir, first?.name as string, "migration.sql"),
      `${first?.script}\n-- sneaky edit\n`,
    );
    await expect(migrate({ url: s.url, migrationsDir: dir, ...quiet })).rejects.toThrow(
      /changed after they were applied.*must never be edited/,
    );
  });

  it("applies a new migration on top and reports rows it does not know", async () => {
    const s = await scratch();
    const dir = copyOfMigrations();
    await migrate({ url: s.url, migrationsDir: dir, ...quiet });
    const next = "29990101000000_add_note";
    cpSync(path.join(dir, readMigrations(dir)[0]?.name as string), path.join(dir, next), { recursive: true });
    writeFileSync(
      path.join(dir, next, "migration.sql"),
      'ALTER TABLE "Organisation" ADD COLUMN "note" TEXT;\n',
    );
    expect((await migrate({ url: s.url, migrationsDir: dir, ...quiet })).applied).toEqual([next]);
    rmSync(path.join(dir, next), { recursive: true });
    expect((await migrate({ url: s.url, migrationsDir: dir, ...quiet })).unknown).toEqual([next]);
  });

  it("rolls back a failing migration entirely and names it", async () => {
    const s = await scratch();
    const dir = copyOfMigrations();
    const bad = "29990101000000_broken";
    cpSync(path.join(dir, readMigrations(dir)[0]?.name as string), path.join(dir, bad), { recursive: true });
    writeFileSync(
      path.join(dir, bad, "migration.sql"),
      'CREATE TABLE "Half" (id INT);\nSELECT nope FROM nowhere;\n',
    );
    await expect(migrate({ url: s.url, migrationsDir: dir, ...quiet })).rejects.toThrow(
      /29990101000000_broken failed/,
    );
    const half = await s.query(`SELECT to_regclass('"${s.schema}"."Half"') AS t`);
    expect(half.rows[0].t).toBeNull();
  });

  it("lets several instances start at once: both succeed, each migration is applied once", async () => {
    const s = await scratch();
    const results = await Promise.all([migrate({ url: s.url, ...quiet }), migrate({ url: s.url, ...quiet })]);
    const applied = results.flatMap((r) => r.applied);
    expect(applied.sort()).toEqual(readMigrations().map((m) => m.name));
    const { rows } = await s.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(rows[0].n).toBe(readMigrations().length);
  });
});

describe("the ledger is append-only in the database itself", () => {
  it("refuses UPDATE, DELETE and TRUNCATE on LedgerEvent and AnchorLeaf", async () => {
    const s = await scratch();
    await migrate({ url: s.url, ...quiet });
    const client = new pg.Client({ connectionString: parseDatabaseUrl(s.url).connectionString });
    await client.connect();
    try {
      await client.query(`SET search_path TO "${s.schema}"`);
      const id = "00000000-0000-4000-8000-000000000001";
      await client.query(
        `INSERT INTO "LedgerEvent" (id, "subjectType", "subjectId", sequence, type, "schemaVersion", "serverTime", payload, salt, hash)
         VALUES ($1, 'Organ', 'o-1', 1, 'organ.registered', 1, now(), '{}', 'ab', 'h1')`,
        [id],
      );
      await client.query(
        `INSERT INTO "AnchorBatch" (id, root, "previousRoot", "eventCount", status) VALUES (0, 'r', '0x', 1, 'PENDING')`,
      );
      await client.query(`INSERT INTO "AnchorLeaf" ("eventId", "batchId", "leafIndex") VALUES ($1, 0, 0)`, [
        id,
      ]);
      await client.query(`UPDATE "AnchorBatch" SET status = 'SENT' WHERE id = 0`); // batches do move on

      for (const sql of [
        `UPDATE "LedgerEvent" SET type = 'x'`,
        `DELETE FROM "LedgerEvent"`,
        `TRUNCATE "LedgerEvent" CASCADE`,
        `UPDATE "AnchorLeaf" SET "leafIndex" = 5`,
        `DELETE FROM "AnchorLeaf"`,
        `TRUNCATE "AnchorLeaf"`,
      ]) {
        await expect(client.query(sql), sql).rejects.toThrow(/is not allowed: the ledger is append-only/);
      }
      const { rows } = await client.query(`SELECT type FROM "LedgerEvent"`);
      expect(rows).toEqual([{ type: "organ.registered" }]);
    } finally {
      await client.end();
    }
  });
});

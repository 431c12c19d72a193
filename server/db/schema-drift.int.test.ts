import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrate } from "./migrate";
import { DEFAULT_MIGRATIONS_DIR } from "./migrations-dir";
import { diffMigrationsToSchema, pendingMigrationsByPrisma } from "./schema-engine";
import { createScratchSchema } from "./scratch-schema";

const url = process.env.DATABASE_URL as string;
const schemaText = readFileSync(path.resolve("prisma", "schema.prisma"), "utf8");
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe("prisma/migrations and prisma/schema.prisma describe the same database", () => {
  it("has no drift (Prisma's schema engine replays the migrations in a shadow database and diffs)", async () => {
    const diff = await diffMigrationsToSchema({ url, schemaText });
    expect(diff, `Migrations drift from schema.prisma; add a migration with:\n${diff}`).toBe("");
  });

  it("detects a schema that asks for more than the migrations create", async () => {
    const drifted = schemaText.replace(/(model Organisation \{\n)/, "$1  website String?\n");
    expect(drifted).not.toBe(schemaText);
    const diff = await diffMigrationsToSchema({ url, schemaText: drifted });
    expect(diff).toMatch(/ALTER TABLE "Organisation" ADD COLUMN\s+"website" TEXT/);
  });

  it("detects a migration that adds what the schema does not describe", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "portal-migrations-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const extra = path.join(dir, "29990101000000_extra_column");
    mkdirSync(extra);
    writeFileSync(path.join(extra, "migration.sql"), 'ALTER TABLE "User" ADD COLUMN "nickname" TEXT;\n');
    const diff = await diffMigrationsToSchema({ url, schemaText, migrationsDir: dir });
    expect(diff).toMatch(/DROP COLUMN "nickname"/);
  });

  it("Prisma's own engine sees the runner's migrations as applied (so `prisma migrate deploy` agrees)", async () => {
    const s = await createScratchSchema(url, "prisma");
    cleanups.push(s.drop);
    await s.query(`CREATE SCHEMA IF NOT EXISTS "${s.schema}"`);
    expect((await pendingMigrationsByPrisma({ url: s.url })).history).toMatchObject({
      diagnostic: "databaseIsBehind",
    });
    await migrate({ url: s.url, log: () => {} });
    const diagnosis = await pendingMigrationsByPrisma({ url: s.url });
    expect(diagnosis).toMatchObject({
      hasMigrationsTable: true,
      editedMigrationNames: [],
      failedMigrationNames: [],
      history: null,
    });
  });
});

import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from "./migrations-dir";

describe("readMigrations", () => {
  it("lists Prisma-layout folders in name order with sha256-of-file checksums", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "migrations-"));
    for (const [name, sql] of [
      ["20260102000000_b", "SELECT 2;\r\n"],
      ["20260101000000_a", "SELECT 1;\n"],
    ] as const) {
      mkdirSync(path.join(dir, name));
      writeFileSync(path.join(dir, name, "migration.sql"), sql);
    }
    writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
    const migrations = readMigrations(dir);
    expect(migrations.map((m) => m.name)).toEqual(["20260101000000_a", "20260102000000_b"]);
    expect(migrations[1]?.checksum).toBe(createHash("sha256").update("SELECT 2;\r\n").digest("hex"));
  });

  it("names a folder without migration.sql", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "migrations-"));
    mkdirSync(path.join(dir, "20260101000000_empty"));
    expect(() => readMigrations(dir)).toThrow(/20260101000000_empty has no migration.sql/);
  });

  it("the repository's first migration makes the ledger append-only", () => {
    const first = readMigrations(DEFAULT_MIGRATIONS_DIR)[0];
    expect(first?.script).toMatch(/BEFORE UPDATE OR DELETE ON "LedgerEvent"/);
    expect(first?.script).toMatch(/BEFORE TRUNCATE ON "AnchorLeaf"/);
    expect(readFileSync(path.join(DEFAULT_MIGRATIONS_DIR, "migration_lock.toml"), "utf8")).toMatch(
      /postgresql/,
    );
  });
});

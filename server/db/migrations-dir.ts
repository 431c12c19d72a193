import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** prisma/migrations, resolved from the working directory (scripts and tests run from the root). */
export const DEFAULT_MIGRATIONS_DIR = path.resolve("prisma", "migrations");

export type TMigrationFile = {
  /** Folder name, e.g. `20261125000000_foundation`: Prisma's `migration_name`. */
  name: string;
  script: string;
  /** sha256 hex of the file's bytes: Prisma's checksum convention. */
  checksum: string;
};

export function checksumOf(script: string | Buffer): string {
  return createHash("sha256").update(script).digest("hex");
}

/**
 * The migrations in Prisma's layout (`<dir>/<timestamp>_<name>/migration.sql`), in the order
 * Prisma applies them: by folder name.
 */
export function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): TMigrationFile[] {
  if (!existsSync(dir)) throw new Error(`Migrations folder not found: ${dir}`);
  return readdirSync(dir)
    .filter((entry) => statSync(path.join(dir, entry)).isDirectory())
    .sort()
    .map((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!existsSync(file)) throw new Error(`Migration ${name} has no migration.sql`);
      const bytes = readFileSync(file);
      return { name, script: bytes.toString("utf8"), checksum: checksumOf(bytes) };
    });
}

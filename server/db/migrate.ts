import "server-only";

import { randomUUID } from "node:crypto";
import pg from "pg";
import { parseDatabaseUrl, quoteIdent } from "./database-url";
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from "./migrations-dir";

/**
 * The key Prisma's own schema engine locks during `migrate deploy`, so this runner, the Prisma CLI
 * and several portal instances starting at once never apply migrations side by side.
 */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// Exactly Prisma's bookkeeping table, so `prisma migrate status/deploy` see what we applied.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {}

export type TMigrateResult = {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** Recorded in the database but missing from the folder (e.g. a newer release ran here). */
  unknown: string[];
};

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

/**
 * Applies the pending migrations of `migrationsDir` to the database (and `?schema=`) of `url`, in
 * order, each in its own transaction, recording them in `_prisma_migrations` the way Prisma does.
 * Refuses to run when an applied migration's file was edited or a Prisma-applied migration failed,
 * because either means the database no longer matches the history in the repository.
 */
export async function migrate(opts: {
  url: string;
  migrationsDir?: string;
  log?: (message: string) => void;
}): Promise<TMigrateResult> {
  const log = opts.log ?? ((m: string) => console.log(`[migrate] ${m}`));
  const { connectionString, schema } = parseDatabaseUrl(opts.url);
  const migrations = readMigrations(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);

  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      await client.query(`SET search_path TO ${quoteIdent(schema)}`);
      await client.query(CREATE_MIGRATIONS_TABLE);

      const { rows } = await client.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"
         WHERE rolled_back_at IS NULL ORDER BY started_at`,
      );
      const failed = rows.filter((r) => r.finished_at === null).map((r) => r.migration_name);
      if (failed.length > 0) {
        throw new MigrationError(
          `Migration(s) ${failed.join(", ")} failed earlier in schema "${schema}" and were not rolled back. ` +
            "Fix the database by hand, then mark them with `prisma migrate resolve`.",
        );
      }
      const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
      const edited = migrations.filter((m) => applied.has(m.name) && applied.get(m.name) !== m.checksum);
      if (edited.length > 0) {
        throw new MigrationError(
          `Migration(s) ${edited.map((m) => m.name).join(", ")} changed after they were applied to schema ` +
            `"${schema}". Applied migrations must never be edited: restore the file and add a new migration.`,
        );
      }
      const known = new Set(migrations.map((m) => m.name));
      const unknown = [...applied.keys()].filter((name) => !known.has(name));

      const result: TMigrateResult = { applied: [], unknown };
      for (const migration of migrations.filter((m) => !applied.has(m.name))) {
        const started = Date.now();
        await client.query("BEGIN");
        try {
          await client.query(migration.script);
          await client.query(
            `INSERT INTO "_prisma_migrations"
               (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
             VALUES ($1, $2, now(), $3, NULL, now(), 1)`,
            [randomUUID(), migration.checksum, migration.name],
          );
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK").catch(() => {});
          throw new MigrationError(
            `Migration ${migration.name} failed and was rolled back: ${(err as Error).message}`,
          );
        }
        result.applied.push(migration.name);
        log(`applied ${migration.name} (${Date.now() - started} ms)`);
      }
      return result;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

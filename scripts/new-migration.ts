/**
 * `npm run db:new-migration <name>`: writes the next migration from the difference between what
 * prisma/migrations builds and what prisma/schema.prisma describes, using Prisma's schema engine
 * compiled to WebAssembly (works offline, unlike `prisma migrate dev`). Review the SQL, then run
 * `npm run db:migrate`. Uses DATABASE_URL's server for a throwaway shadow schema, or a temporary
 * embedded PostgreSQL when DATABASE_URL is not set.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from "@/server/db/migrations-dir";
import { diffMigrationsToSchema } from "@/server/db/schema-engine";
import { startEmbeddedPostgres } from "@/server/runtime/database";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]{1,80}$/.test(name)) {
  console.error("Usage: npm run db:new-migration <name>   (lower-case letters, digits and _)");
  process.exit(2);
}

function timestamp(): string {
  const now = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const last = readMigrations().at(-1)?.name.slice(0, 14) ?? "";
  // Names order the migrations; never sort a new one before an existing one.
  return now > last ? now : String(BigInt(last) + 1n);
}

let url = process.env.DATABASE_URL;
let cleanup = async () => {};
if (!url) {
  const dir = path.resolve(".test-data", `new-migration-${randomBytes(4).toString("hex")}`);
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg") });
  url = server.url;
  cleanup = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

try {
  const schemaText = readFileSync(path.resolve("prisma", "schema.prisma"), "utf8");
  const sql = await diffMigrationsToSchema({ url, schemaText });
  if (!sql) {
    console.log("No changes: prisma/schema.prisma already matches prisma/migrations.");
  } else {
    const folder = path.join(DEFAULT_MIGRATIONS_DIR, `${timestamp()}_${name}`);
    mkdirSync(folder);
    writeFileSync(path.join(folder, "migration.sql"), `${sql}\n`);
    console.log(
      `Wrote ${path.relative(process.cwd(), folder)}/migration.sql — review it, then npm run db:migrate.`,
    );
  }
} finally {
  await cleanup();
}

/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL (offline; Prisma's CLI is not
 * needed). `npm start` does the same automatically at start-up.
 */
import { redactUrl } from "@/server/db/database-url";
import { migrate } from "@/server/db/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set. (`npm start` migrates its embedded PostgreSQL by itself.)");
  process.exit(2);
}
try {
  const { applied, unknown } = await migrate({ url });
  console.log(applied.length ? `Applied ${applied.length} migration(s).` : "Database is up to date.");
  if (unknown.length)
    console.warn(`Applied in the database but not in prisma/migrations: ${unknown.join(", ")}`);
} catch (err) {
  console.error(`Migrating ${redactUrl(url)} failed: ${(err as Error).message}`);
  process.exit(1);
}

import { defineConfig } from "prisma/config";

// The Prisma CLI's own commands (`prisma migrate deploy`, `prisma migrate status`) work where its
// native engine can be downloaded; offline, `npm run db:migrate` and `npm run db:new-migration`
// do the same through server/db/migrate.ts and the WebAssembly schema engine.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx --import ./scripts/server-only.mjs prisma/seed.ts" },
  // Not `env("DATABASE_URL")`: that throws when unset, and `prisma generate` needs no database.
  datasource: { url: process.env.DATABASE_URL ?? "" },
});

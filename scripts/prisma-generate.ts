/**
 * `prisma generate` that works offline (runs as `postinstall`). Every Prisma 7 CLI command tries
 * to download the native schema engine first; generating the `prisma-client` (no Rust engine)
 * does not need it, so PRISMA_SCHEMA_ENGINE_BINARY points at a stub that exits 1 (not one that
 * succeeds: that would make other commands silently do nothing). Skipped when the schema and the
 * Prisma version are unchanged since the last run.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const schemaFile = path.join(root, "prisma", "schema.prisma");
const outputDir = path.join(root, "server", "generated", "prisma");
const stampFile = path.join(outputDir, ".generated-from");

const prismaVersion = JSON.parse(readFileSync(path.join(root, "node_modules/prisma/package.json"), "utf8"))
  .version as string;
const stamp = createHash("sha256")
  .update(prismaVersion)
  .update(readFileSync(schemaFile))
  .update(readFileSync(path.join(root, "prisma.config.ts")))
  .digest("hex");

if (!process.argv.includes("--force") && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) {
  process.exit(0);
}

const stubDir = mkdtempSync(path.join(tmpdir(), "prisma-no-engine-"));
const stub = path.join(stubDir, "schema-engine");
writeFileSync(stub, "#!/bin/sh\necho 'native schema engine not available offline' >&2\nexit 1\n");
chmodSync(stub, 0o755);
try {
  const started = Date.now();
  const result = spawnSync(path.join(root, "node_modules", ".bin", "prisma"), ["generate"], {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: stub,
      CHECKPOINT_DISABLE: "1",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    console.error("[prisma-generate] prisma generate failed");
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampFile, stamp);
  console.log(`[prisma-generate] Prisma client generated in ${Date.now() - started} ms`);
} finally {
  rmSync(stubDir, { recursive: true, force: true });
}

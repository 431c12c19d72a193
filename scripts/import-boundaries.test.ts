import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Imports run one way (docs/architecture.md): production code under `server/` never imports
 * `test/`, `e2e/`, `bench/` or `app/`. Biome's `noRestrictedImports` override in biome.json
 * enforces it; these cases run the repository's own biome.json on fixtures in a scratch folder
 * laid out like the repository, so the rule is shown to refuse a wrong-way import.
 */
const root = path.resolve(import.meta.dirname, "..");
const biome = path.join(root, "node_modules", ".bin", "biome");
/** One biome run each; the machine may be busy. */
const BIOME_TIMEOUT_MS = 30_000;
const scratch = mkdtempSync(path.join(tmpdir(), "import-boundaries-"));
copyFileSync(path.join(root, "biome.json"), path.join(scratch, "biome.json"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function lint(file: string, specifier: string) {
  const full = path.join(scratch, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, `import { a } from "${specifier}";\n\nexport const b = a;\n`);
  const r = spawnSync(biome, ["lint", "--colors=off", file], { cwd: scratch, encoding: "utf8" });
  return { failed: r.status !== 0, restricted: `${r.stdout}${r.stderr}`.includes("noRestrictedImports") };
}

describe("imports run one way", () => {
  it.each([
    ["server/allocation/run-match.ts", "@/test/factories/organ-factory"],
    ["server/allocation/run-match.ts", "../../test/factories/organ-factory"],
    ["server/custody/custody-views.ts", "@/e2e/fixtures/auth"],
    ["server/ledger/anchor-worker.ts", "@/bench/run"],
    ["server/api/routers/offer/answer.ts", "@/app/_components/ui"],
    ["server/api/routers/offer/answer.ts", "../../../../app/_components/ui"],
    ["bench/load.ts", "../e2e/fixtures/auth"],
  ])(
    "%s may not import %s",
    (file, specifier) => {
      expect(lint(file, specifier)).toEqual({ failed: true, restricted: true });
    },
    BIOME_TIMEOUT_MS,
  );

  it.each([
    ["server/allocation/run-match.ts", "@/server/db"],
    ["server/allocation/run-match.ts", "zod"],
    ["server/allocation/allocation.int.test.ts", "@/test/factories/organ-factory"],
    ["bench/match-run-db.ts", "@/test/factories/test-keys"],
    ["app/(portal)/page.tsx", "@/server/api/root"],
  ])(
    "%s may import %s",
    (file, specifier) => {
      expect(lint(file, specifier)).toEqual({ failed: false, restricted: false });
    },
    BIOME_TIMEOUT_MS,
  );
});

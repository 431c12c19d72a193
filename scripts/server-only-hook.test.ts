import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Server modules say `import "server-only"` (docs/architecture.md). Outside Next, tsx entry points
 * load scripts/server-only.mjs so that import resolves to the package's empty module; these cases
 * show the hook is needed, that it works, that it leaves React on Node's own conditions (npm start
 * runs Next in-process), and that every npm script run with tsx loads it.
 */
const root = path.resolve(import.meta.dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const HOOK = ["--import", "./scripts/server-only.mjs"];
/** One tsx start each; the machine may be busy. */
const TSX_TIMEOUT_MS = 60_000;
// Inside the repository (git-ignored), so the probe's bare imports resolve from its node_modules.
mkdirSync(path.join(root, ".test-data"), { recursive: true });
const scratch = mkdtempSync(path.join(root, ".test-data", "server-only-hook-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const probe = path.join(scratch, "probe.mjs");
writeFileSync(
  probe,
  `import "server-only";\nimport { useState } from "react";\nconsole.log("react-client:" + (typeof useState === "function"));\n`,
);

function run(args: string[]) {
  const r = spawnSync(tsx, [...args, probe], { cwd: root, encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("server-only outside Next", () => {
  it(
    "without the hook, a marked module throws under tsx",
    () => {
      const r = run([]);
      expect(r.status).not.toBe(0);
      expect(r.out).toContain("cannot be imported from a Client Component module");
    },
    TSX_TIMEOUT_MS,
  );

  it(
    "with the hook it loads, and React still resolves under Node's own conditions",
    () => {
      const r = run(HOOK);
      expect(r.out).toContain("react-client:true");
      expect(r.status).toBe(0);
    },
    TSX_TIMEOUT_MS,
  );

  it("every npm script that runs tsx loads the hook", () => {
    const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const withTsx = Object.entries(scripts).filter(([, command]) => /(^|\s)tsx\s/.test(command));
    expect(withTsx.length).toBeGreaterThan(0);
    expect(withTsx.filter(([, command]) => !command.includes(`tsx ${HOOK.join(" ")} `))).toEqual([]);
  });
});

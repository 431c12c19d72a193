/**
 * `npm test`: every check a submission must pass, in order: type-check, lint/format, unit and
 * integration tests (vitest, real PostgreSQL and anvil), then Playwright end-to-end in Chromium.
 * With DATABASE_URL set, every part uses a fresh schema on that server and drops it afterwards;
 * without it, each part starts its own embedded PostgreSQL. Ends with one "N passed, N failed" line.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import pg from "pg";

type TStep = { name: string; passed: number; failed: number; ok: boolean; seconds: number };
const steps: TStep[] = [];

function run(name: string, cmd: string, args: string[], env: Record<string, string> = {}): boolean {
  const started = Date.now();
  console.log(`\n── ${name}: ${cmd} ${args.join(" ")}`);
  const result = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const ok = result.status === 0;
  steps.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, ok, seconds: (Date.now() - started) / 1000 });
  return ok;
}

function countsFromJson(
  file: string,
  kind: "vitest" | "playwright",
): { passed: number; failed: number } | null {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, "utf8"));
  if (kind === "vitest") return { passed: report.numPassedTests, failed: report.numFailedTests };
  const s = report.stats ?? {};
  return { passed: s.expected ?? 0, failed: (s.unexpected ?? 0) + (s.flaky ?? 0) };
}

async function withFreshSchema<T>(prefix: string, fn: (url?: string) => T): Promise<T> {
  const base = process.env.DATABASE_URL;
  if (!base) return fn(undefined);
  const schema = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  try {
    const url = new URL(base);
    url.searchParams.set("schema", schema);
    return fn(url.toString());
  } finally {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
    // The portal's role for that schema, created by `npm start` (server/db/app-role.ts).
    const { dropAppRole } = await import("@/server/db/app-role");
    await dropAppRole({ ownerUrl: base, schema });
  }
}

async function main() {
  const only = process.argv.slice(2);
  const want = (s: string) => only.length === 0 || only.includes(s);
  if (want("typecheck")) run("typecheck", "npx", ["tsc", "--noEmit"]);
  if (want("lint")) run("lint", "npx", ["biome", "check", "."]);

  if (want("vitest")) {
    rmSync("test-results/vitest.json", { force: true });
    run("unit + integration", "npx", [
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      "--outputFile.json=test-results/vitest.json",
    ]);
    const c = countsFromJson("test-results/vitest.json", "vitest");
    const step = steps[steps.length - 1] as TStep;
    if (c) Object.assign(step, c);
    // A run that executed no test is a failure, whatever vitest's exit code says.
    if (!c || c.passed + c.failed === 0) Object.assign(step, { ok: false, failed: Math.max(step.failed, 1) });
    if (c && c.failed > 0) step.ok = false;
  }

  if (want("e2e")) {
    const dataDir = `.test-data/e2e-${process.pid}`;
    rmSync(dataDir, { recursive: true, force: true });
    rmSync("test-results/e2e-results.json", { force: true });
    await withFreshSchema("e2e", (url) =>
      run("end-to-end (Playwright, Chromium)", "npx", ["playwright", "test"], {
        E2E_DATA_DIR: dataDir,
        ...(url ? { DATABASE_URL: url } : {}),
      }),
    );
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-keys`, { recursive: true, force: true });
    const c = countsFromJson("test-results/e2e-results.json", "playwright");
    const step = steps[steps.length - 1] as TStep;
    if (c) Object.assign(step, c);
    if (!c || c.passed + c.failed === 0) Object.assign(step, { ok: false, failed: Math.max(step.failed, 1) });
    if (c && c.failed > 0) step.ok = false;
  }

  console.log("\n── summary");
  for (const s of steps) {
    console.log(
      `${s.ok ? "✔" : "✘"} ${s.name}: ${s.passed} passed, ${s.failed} failed (${s.seconds.toFixed(1)} s)`,
    );
  }
  const passed = steps.reduce((n, s) => n + s.passed, 0);
  const failed = steps.reduce((n, s) => n + s.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(steps.every((s) => s.ok) ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { createAllocatedOrgan, portalDatabaseUrl } from "../../test/factories/portal-db";
import { DEMO, DEMO_PASSWORD, expect, test } from "../fixtures/auth";

/**
 * Scale-out: two more portal instances beside the one under test, all on one PostgreSQL and one
 * chain, the two sharing live events through Redis. A session made on one works on the other, a
 * custody step recorded on one reaches a dashboard served by the other, and exactly one instance
 * holds the anchoring lock.
 */
const ANVIL_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const basePort = Number(process.env.E2E_PORT ?? 3100);
const dataDir = path.resolve(process.env.E2E_DATA_DIR ?? ".test-data/e2e");
// The instances share the first one's key folder (KEYS_DIR, default `<DATA_DIR>-keys`).
const keysDir = path.resolve(process.env.KEYS_DIR ?? `${dataDir}-keys`);
const secret = (name: string, file: string) =>
  process.env[name] ?? readFileSync(path.join(keysDir, file), "utf8").trim();

type TInstance = { url: string; process: ChildProcess; output: string[] };
const instances: TInstance[] = [];

async function startInstance(port: number, shared: Record<string, string>): Promise<TInstance> {
  const dir = path.join(dataDir, `instance-${port}`);
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./scripts/server-only.mjs", "scripts/start.ts"],
    {
      env: {
        ...process.env,
        ...shared,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: dir,
        PORTAL_PREBUILT: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: false,
    },
  );
  const instance: TInstance = { url: `http://localhost:${port}`, process: child, output: [] };
  child.stdout?.on("data", (d) => instance.output.push(String(d)));
  child.stderr?.on("data", (d) => instance.output.push(String(d)));
  instances.push(instance);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`instance on ${port} exited:\n${instance.output.join("")}`);
    const ok = await fetch(`${instance.url}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return instance;
    if (Date.now() > deadline)
      throw new Error(`instance on ${port} did not start:\n${instance.output.join("")}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

test.afterAll(async () => {
  await Promise.all(
    instances.map(
      (i) =>
        new Promise<void>((resolve) => {
          if (i.process.exitCode !== null) return resolve();
          i.process.once("exit", () => resolve());
          i.process.kill("SIGTERM");
          setTimeout(() => {
            i.process.kill("SIGKILL");
            resolve();
          }, 15_000);
        }),
    ),
  );
});

async function signIn(page: Page, baseUrl: string, role: keyof typeof DEMO) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel("E-mail").fill(DEMO[role].email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`**${DEMO[role].home}`);
}

test("two instances share sessions and live events through Redis, and exactly one anchors", async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  const health = await (await request.get("/api/health")).json();
  const rpcFile = path.join(dataDir, "anvil", "rpc-url");
  const shared = {
    DATABASE_URL: portalDatabaseUrl(),
    RPC_URL: process.env.RPC_URL ?? (existsSync(rpcFile) ? readFileSync(rpcFile, "utf8").trim() : ""),
    DEPLOYER_PRIVATE_KEY: process.env.DEPLOYER_PRIVATE_KEY ?? ANVIL_DEV_KEY,
    ANCHOR_REGISTRY_ADDRESS: health.chain.contractAddress as string,
    AUTH_SECRET: secret("AUTH_SECRET", "auth-secret"),
    DATA_ENCRYPTION_KEYS: secret("DATA_ENCRYPTION_KEYS", "encryption-keys"),
    KEYS_DIR: keysDir,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    ANCHOR_INTERVAL_MS: "1000",
    NODE_ENV: "production",
  };
  expect(shared.RPC_URL).toMatch(/^http/);
  const [b, c] = await Promise.all([
    startInstance(basePort + 1, shared),
    startInstance(basePort + 2, shared),
  ]);
  for (const i of [b, c]) {
    const h = await (await fetch(`${i.url}/api/health`)).json();
    expect(h).toMatchObject({ status: "ok", socket: { redis: "connected" }, anchor: { running: true } });
  }

  // Users sign in on instance B; the OPO prepares the organ and offers it to the courier.
  const organ = await createAllocatedOrgan();
  const contexts = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const [opo, courier, centre] = (await Promise.all(contexts.map((c) => c.newPage()))) as [Page, Page, Page];
  await signIn(opo, b.url, "OPO_COORDINATOR");
  await signIn(courier, b.url, "COURIER");
  const step = async (page: Page, kind: string, details: Record<string, unknown>, at = new Date()) => {
    const res = await page.request.post(`${b.url}/api/trpc/custody.recordEvent`, {
      data: {
        json: {
          organId: organ.organId,
          clientEventId: randomUUID(),
          kind,
          reportedAt: at.toISOString(),
          details,
        },
      },
    });
    expect(res.status(), await res.text()).toBe(200);
  };
  const clamp = new Date(Date.now() - 60 * 60_000);
  await step(opo, "CROSS_CLAMP", { location: "Scale-out General OR 1" }, clamp);
  await step(opo, "RECOVERED", {}, new Date(clamp.getTime() + 20 * 60_000));
  await step(opo, "PACKAGED", { temperatureC: 4 }, new Date(clamp.getTime() + 30 * 60_000));
  await step(opo, "HANDOFF_OFFERED", { toEmail: DEMO.COURIER.email });

  // A session made on instance B works on instance C (same secret, same database).
  await signIn(centre, b.url, "CENTER_COORDINATOR");
  await centre.goto(`${c.url}/center`);
  await expect(centre.getByTestId("signed-in-as")).toContainText(DEMO.CENTER_COORDINATOR.name);
  const row = centre.locator(`[data-testid="organ-row"][data-organ-id="${organ.organId}"]`);
  await expect(row).toBeVisible();
  await expect(centre.getByTestId("custody-live")).toHaveAttribute("data-state", "connected");

  // Steps recorded through instance B appear live on the dashboard served by instance C.
  await step(courier, "HANDOFF_ACCEPTED", { location: "Scale-out loading bay", temperatureC: 4 });
  await expect(row.getByTestId("organ-holder")).toContainText(DEMO.COURIER.name, { timeout: 5000 });
  await step(courier, "CHECKPOINT", { location: "Bridge 7 toll plaza", temperatureC: 5 });
  await expect(row.getByTestId("organ-checkpoint")).toContainText("Bridge 7 toll plaza", { timeout: 5000 });

  // Exactly one of the three instances holds the anchoring lock, and the events get anchored once.
  const leaders = await Promise.all(
    [`http://localhost:${basePort}`, b.url, c.url].map(
      async (u) => (await (await fetch(`${u}/api/health`)).json()).anchor.leader,
    ),
  );
  expect(leaders.filter(Boolean)).toHaveLength(1);
  await Promise.all(contexts.map((c) => c.close()));
});

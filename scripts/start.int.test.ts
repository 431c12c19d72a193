import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The newcomer's path, end to end: `npm start` with no DATABASE_URL or RPC_URL starts an embedded
 * PostgreSQL and anvil, serves the portal, stops both on Ctrl-C, and a second start finds the data.
 */
mkdirSync(path.join(process.cwd(), ".test-data"), { recursive: true });
const dataDir = mkdtempSync(path.join(process.cwd(), ".test-data", "start-"));
const port = 3200 + Math.floor(Math.random() * 500);

function startPortal(): { child: ChildProcess; ready: Promise<string>; output: () => string } {
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    ANCHOR_INTERVAL_MS: "500",
  };
  delete env.DATABASE_URL;
  delete env.RPC_URL;
  delete env.DEPLOYER_PRIVATE_KEY;
  delete env.ANCHOR_REGISTRY_ADDRESS;
  delete env.AUTH_SECRET;
  delete env.DATA_ENCRYPTION_KEYS;
  const child = spawn("node_modules/.bin/tsx", ["scripts/start.ts"], {
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/portal ready at (\S+)/);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`start exited with ${code}:\n${out}`)));
  });
  return { child, ready, output: () => out };
}

/** Ctrl-C, as a person would; fails (instead of hanging) if the portal does not exit in 30 s. */
function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("npm start did not stop within 30 s of Ctrl-C"));
    }, 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill("SIGINT");
  });
}

/** Whether an anvil started for this data folder is still running. */
const anvilRunning = () =>
  spawnSync("pgrep", ["-f", path.join(dataDir, "anvil")], { encoding: "utf8" }).stdout.trim() !== "";

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm start", () => {
  it("serves the portal, stops cleanly on Ctrl-C, and a second start reuses the data", {
    timeout: 600_000,
  }, async () => {
    const first = startPortal();
    const url = await first.ready;
    const health = await (await fetch(`${url}/api/health`)).json();
    expect(health.status).toBe("ok");
    const address = health.chain.contractAddress;
    const secret = readFileSync(path.join(dataDir, "auth-secret"), "utf8");
    const pgPid = Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    expect(isAlive(pgPid)).toBe(true);

    // 0, or 130 when the SIGINT itself ended the wrapper: either way a Ctrl-C exit, checked below.
    expect([0, 130]).toContain(await stop(first.child));
    expect(isAlive(pgPid)).toBe(false);
    expect(anvilRunning()).toBe(false);
    expect(existsSync(path.join(dataDir, "anvil", "state.json"))).toBe(true);
    expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);
    expect(first.output()).not.toMatch(/0x[0-9a-f]{64}/i); // never print a private key

    const second = startPortal();
    const url2 = await second.ready;
    const health2 = await (await fetch(`${url2}/api/health`)).json();
    expect(health2.status).toBe("ok");
    expect(health2.chain.contractAddress).toBe(address);
    expect(readFileSync(path.join(dataDir, "auth-secret"), "utf8")).toBe(secret);
    expect(second.output()).not.toContain("empty database"); // the demo data was kept, not re-seeded
    const pgPid2 = Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    expect([0, 130]).toContain(await stop(second.child));
    expect(isAlive(pgPid2)).toBe(false);
    expect(anvilRunning()).toBe(false);
    expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);
  });
});

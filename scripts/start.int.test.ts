import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ANVIL_DEV_KEY } from "@/server/runtime/chain";

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
  delete env.KEYS_DIR;
  // DATABASE_APP_URL is left as the test run set it (its own database): the portal must ignore it.
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./scripts/server-only.mjs", "scripts/start.ts"],
    {
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  started.push(child);
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

/** Ctrl-C, as a person would; fails (instead of hanging) if the portal does not exit in 75 s (the database may take 35 s to be made to stop under load). */
function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("npm start did not stop within 75 s of Ctrl-C"));
    }, 75_000);
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

/** The health report once it says ok, or the last one seen when `ms` runs out. */
async function healthyWithin(
  url: string,
  ms: number,
): Promise<{ status: string; chain: { contractAddress?: string } }> {
  const until = Date.now() + ms;
  for (;;) {
    const health = await (await fetch(`${url}/api/health`)).json();
    if (health.status === "ok" || Date.now() > until) return health;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const keysDir = `${dataDir}-keys`;
/** Where the embedded cluster lives: DATA_DIR/pg, or the folder named in pg.location when the
 * postgres user could not enter this checkout and start-up placed it elsewhere. */
const clusterDir = () => {
  const moved = path.join(dataDir, "pg.location");
  return existsSync(moved) ? readFileSync(moved, "utf8").trim() : path.join(dataDir, "pg");
};
/** Every portal this file started: stopped in afterAll if a failed assertion left one running, so a
 * failure never leaves a portal spinning on its deleted data folder (it did, for hours, in CI). */
const started: ChildProcess[] = [];
afterAll(async () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) await stop(child).catch(() => undefined);
  const cluster = clusterDir();
  // A cluster moved for the postgres user lives in a folder of its own: remove that folder too.
  if (!cluster.startsWith(dataDir)) rmSync(path.dirname(cluster), { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(keysDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("serves the portal, stops cleanly on Ctrl-C, and a second start reuses the data", {
    timeout: 600_000,
  }, async () => {
    const first = startPortal();
    const url = await first.ready;
    // Ready means serving; the seed's last events may still be on their way to the chain, and a
    // first request beside a just-finished build is slow. Healthy within a minute, or say why not.
    const health = await healthyWithin(url, 60_000);
    expect(health.status, `${JSON.stringify(health)}\n${first.output().slice(-3000)}`).toBe("ok");
    const address = health.chain.contractAddress;
    const secret = readFileSync(path.join(keysDir, "auth-secret"), "utf8");
    const pgPid = Number(readFileSync(path.join(clusterDir(), "postmaster.pid"), "utf8").split("\n")[0]);
    expect(isAlive(pgPid)).toBe(true);

    // Exit 0: the portal itself took the SIGINT and stopped everything it started. (Under tsx's CLI
    // wrapper, a child that did not acknowledge a relayed signal within 30 ms was SIGKILLed: the
    // wrapper exited 130 and left PostgreSQL and anvil running, seen on a busy machine.)
    expect(await stop(first.child)).toBe(0);
    expect(isAlive(pgPid)).toBe(false);
    expect(anvilRunning()).toBe(false);
    expect(existsSync(path.join(dataDir, "anvil", "state.json"))).toBe(true);
    expect(existsSync(path.join(clusterDir(), "postmaster.pid"))).toBe(false);
    // Never print a private key (transaction hashes, also 32 bytes of hex, are fine to log).
    expect(first.output().toLowerCase()).not.toContain(ANVIL_DEV_KEY.slice(2).toLowerCase());
    expect(first.output()).not.toContain(secret.trim());
    // Keys sit in their own folder, never beside the database.
    expect(existsSync(path.join(keysDir, "encryption-keys"))).toBe(true);
    expect(existsSync(path.join(keysDir, "key-encryption-keys.json"))).toBe(true);
    expect(existsSync(path.join(dataDir, "encryption-keys"))).toBe(false);

    const second = startPortal();
    const url2 = await second.ready;
    const health2 = await healthyWithin(url2, 60_000);
    expect(health2.status, JSON.stringify(health2)).toBe("ok");
    expect(health2.chain.contractAddress).toBe(address);
    expect(readFileSync(path.join(keysDir, "auth-secret"), "utf8")).toBe(secret);
    expect(second.output()).not.toContain("empty database"); // the demo data was kept, not re-seeded
    const pgPid2 = Number(readFileSync(path.join(clusterDir(), "postmaster.pid"), "utf8").split("\n")[0]);
    expect(await stop(second.child)).toBe(0);
    expect(isAlive(pgPid2)).toBe(false);
    expect(anvilRunning()).toBe(false);
    expect(existsSync(path.join(clusterDir(), "postmaster.pid"))).toBe(false);

    // The key folder serves one database, bound to its ledger's first event; after a reset that
    // deletes the data folder (not the keys), it passes to the new database, which starts healthy.
    const binding = () => JSON.parse(readFileSync(path.join(keysDir, "ledger-binding.json"), "utf8"));
    const before = binding().genesisHash;
    const cluster = clusterDir();
    if (!cluster.startsWith(dataDir)) rmSync(cluster, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    const third = startPortal();
    const url3 = await third.ready;
    expect((await healthyWithin(url3, 60_000)).status).toBe("ok");
    expect(third.output()).toContain("now serves this new database");
    expect(binding().genesisHash).not.toBe(before);
    expect(await stop(third.child)).toBe(0);
  });
});

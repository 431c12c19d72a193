/**
 * `npm start`: the whole portal from one command. Starts (or reuses) the embedded PostgreSQL and a
 * local anvil when DATABASE_URL / RPC_URL are not given, migrates, deploys the contracts, seeds demo
 * data on an empty database, builds the Next.js app when its sources changed, and serves pages,
 * tRPC and socket.io on one port. Ctrl-C stops everything it started, cleanly.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { EnvError, env, parseEnv, resetEnvCache } from "@/server/env";

const dev = process.argv.includes("--dev");
const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const { name, stop } of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        console.error(`[start] stopping ${name} failed: ${(err as Error).message}`);
      }
    }
  }
  process.exit(code);
}

/** A secret generated once per data folder, so a second start keeps sessions and encrypted data. */
function persistentSecret(file: string, make: () => string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const e of readdirSafe(p)) if (e !== "node_modules" && e !== "generated") walk(path.join(p, e));
    } else newest = Math.max(newest, s.mtimeMs);
  };
  for (const p of paths) walk(p);
  return newest;
}
function readdirSafe(p: string): string[] {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
}

function buildIfStale() {
  // A further instance beside a running one serves the same build; it must not rebuild under it.
  if (process.env.PORTAL_PREBUILT === "1") return;
  const buildId = path.join(process.env.NEXT_DIST_DIR ?? ".next", "BUILD_ID");
  const sources = [
    "app",
    "server",
    "public",
    "next.config.js",
    "package-lock.json",
    "postcss.config.mjs",
    "tsconfig.json",
  ];
  if (existsSync(buildId) && statSync(buildId).mtimeMs > newestMtime(sources)) return;
  console.log("[start] building the web app (next build)…");
  const result = spawnSync("npx", ["next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error("next build failed");
}

async function main() {
  // Validate what the operator set before filling in local defaults, so typos are named early.
  parseEnv(process.env);
  const dataDir = path.resolve(process.env.DATA_DIR ?? ".data");
  mkdirSync(dataDir, { recursive: true });
  Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? (dev ? "development" : "production") });
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  process.env.AUTH_TRUST_HOST ??= "true";
  process.env.AUTH_SECRET ??= persistentSecret(path.join(dataDir, "auth-secret"), () =>
    randomBytes(32).toString("base64url"),
  );
  process.env.DATA_ENCRYPTION_KEYS ??= persistentSecret(
    path.join(dataDir, "encryption-keys"),
    () => `k1:${randomBytes(32).toString("base64")}`,
  );

  if (!process.env.DATABASE_URL) {
    const { startEmbeddedPostgres } = await import("@/server/runtime/database");
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg") });
    stops.push({ name: "embedded PostgreSQL", stop: pg.stop });
    process.env.DATABASE_URL = pg.url;
    console.log("[start] embedded PostgreSQL ready");
  }
  const { migrate } = await import("@/server/db/migrate");
  await migrate({ url: process.env.DATABASE_URL });

  const localChain = !process.env.RPC_URL;
  if (localChain) {
    const { startAnvil, ANVIL_DEV_KEY } = await import("@/server/runtime/chain");
    const anvil = await startAnvil({ stateFile: path.join(dataDir, "anvil", "state.json") });
    stops.push({ name: "anvil", stop: anvil.stop });
    process.env.RPC_URL = anvil.rpcUrl;
    // For tools beside the portal (the audit-bundle verifier, tests of a second instance).
    writeFileSync(path.join(dataDir, "anvil", "rpc-url"), anvil.rpcUrl);
    process.env.DEPLOYER_PRIVATE_KEY ??= ANVIL_DEV_KEY;
    console.log(`[start] local anvil ready (chain id ${anvil.chainId})`);
  }
  if (process.env.DEPLOYER_PRIVATE_KEY) {
    const { ensureAnchorRegistry } = await import("@/server/chain/deploy");
    const deployed = await ensureAnchorRegistry({
      rpcUrl: process.env.RPC_URL ?? "",
      privateKey: process.env.DEPLOYER_PRIVATE_KEY,
      address: process.env.ANCHOR_REGISTRY_ADDRESS,
      stateFile: path.join(dataDir, "deployments.json"),
    });
    process.env.ANCHOR_REGISTRY_ADDRESS = deployed.address;
    console.log(`[start] AnchorRegistry at ${deployed.address}`);
  }

  resetEnvCache();
  env(); // everything filled in: validate once more

  const { seedIfEmpty } = await import("@/prisma/seed");
  await seedIfEmpty();

  if (!dev) buildIfStale();

  const { startPortalServer } = await import("@/server/http-server");
  const server = await startPortalServer({ dev });
  stops.push({ name: "portal server", stop: server.close });

  if (env().ANCHOR_WORKER === "on" && env().DEPLOYER_PRIVATE_KEY) {
    const { startAnchorWorker } = await import("@/server/ledger/anchor-worker");
    // Our own anvil may come back from an older state file after a hard kill: replay what it lost.
    const worker = startAnchorWorker({ replayLostBatches: localChain });
    stops.push({ name: "anchoring worker", stop: worker.stop });
  }
  // Cold-ischemia alerts at 75 % / 90 %, and the custody catch-up handlers on the socket server.
  const { startIschemiaMonitor } = await import("@/server/custody/ischemia-monitor");
  const monitor = startIschemiaMonitor();
  stops.push({ name: "ischemia monitor", stop: monitor.stop });
  // Offers past their deadline expire and the next candidates are offered, on every instance:
  // each expiry is a conditional update under the organ's row lock, so instances never double up.
  const { startOfferSweeper } = await import("@/server/allocation/offers");
  const sweeper = startOfferSweeper();
  stops.push({ name: "offer sweeper", stop: sweeper.stop });
  // The waiting list in memory before the first match run asks for it.
  const { warmWaitlist } = await import("@/server/allocation/waitlist-state");
  void warmWaitlist()
    .then((w) => console.log(`[start] waiting list loaded: ${w.candidates} candidates in ${w.ms} ms`))
    .catch((err: Error) =>
      console.error(`[start] waiting list not preloaded: ${err.message.split("\n")[0]}`),
    );
  console.log(`[start] portal ready at ${server.url}`);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
main().catch((err) => {
  console.error(err instanceof EnvError ? err.message : `[start] ${(err as Error).stack ?? err}`);
  void shutdown(1);
});

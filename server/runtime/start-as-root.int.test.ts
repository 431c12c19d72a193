import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { blockedFolder, clusterLocation, startEmbeddedPostgres } from "./database";

/**
 * A newcomer clones into a folder the `postgres` user cannot enter (root's home, mode 0700) and
 * runs `npm start` as root: the embedded database must start anyway, keep its data across starts,
 * and say where it put it.
 */
const work = mkdtempSync(path.join(tmpdir(), "portal-root-start-"));
chmodSync(work, 0o755); // mkdtemp makes it 0700; the folder inside it is the one closed to postgres
const locked = path.join(work, "home-0700");
mkdirSync(locked, { mode: 0o700 });
const dataDir = path.join(locked, "checkout", ".data", "pg");
const relocatedTo: string[] = [];

afterAll(() => {
  for (const dir of relocatedTo) rmSync(path.dirname(dir), { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe("embedded PostgreSQL started as root from a folder postgres cannot enter", () => {
  const postgres = { uid: 101_000, gid: 101_000, home: path.join(work, "postgres-home") };

  it("keeps the cluster in place when postgres can reach it, and moves it when it cannot", () => {
    mkdirSync(postgres.home, { mode: 0o755, recursive: true });
    const open = path.join(work, "open", ".data", "pg");
    expect(clusterLocation(open, postgres)).toEqual({ dir: path.resolve(open), relocatedBecause: null });
    expect(blockedFolder(dataDir, postgres)).toBe(locked);
    const moved = clusterLocation(dataDir, postgres);
    expect(moved.relocatedBecause).toBe(locked);
    expect(moved.dir.startsWith(`${postgres.home}/transplant-portal/`)).toBe(true);
    // The same checkout always maps to the same place; another checkout to another.
    expect(clusterLocation(dataDir, postgres).dir).toBe(moved.dir);
    expect(clusterLocation(path.join(locked, "other", ".data", "pg"), postgres).dir).not.toBe(moved.dir);
    // Without root (no postgres owner) nothing moves.
    expect(clusterLocation(dataDir, undefined).dir).toBe(path.resolve(dataDir));
  });

  it("starts, keeps its data across a restart, and says where the cluster lives", async () => {
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      const client = new pg.Client({ connectionString: first.url });
      await client.connect();
      await client.query("CREATE TABLE kept (v text)");
      await client.query("INSERT INTO kept VALUES ('still here')");
      await client.end();
    } finally {
      await first.stop();
    }
    if (userInfo().uid === 0) {
      const where = readFileSync(`${dataDir}.location`, "utf8").trim();
      relocatedTo.push(where);
      expect(statSync(path.join(where, "PG_VERSION")).isFile()).toBe(true);
      expect(blockedFolder(where, { uid: statSync(where).uid, gid: statSync(where).gid })).toBeNull();
    }
    const second = await startEmbeddedPostgres({ dataDir });
    try {
      const client = new pg.Client({ connectionString: second.url });
      await client.connect();
      const { rows } = await client.query("SELECT v FROM kept");
      await client.end();
      expect(rows).toEqual([{ v: "still here" }]);
    } finally {
      await second.stop();
    }
  });
});

import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, withSqlTransaction } from "@/server/db";
import { connectionOptions, parseDatabaseUrl } from "@/server/db/database-url";
import { migrate } from "@/server/db/migrate";
import { isDatabaseUnavailable } from "@/server/db/unavailable";
import { resetEnvCache } from "@/server/env";
import { PrismaClient } from "@/server/generated/prisma/client";
import { appendEvent, type TActor } from "@/server/ledger/append-event";
import { readEventsWithProofs } from "@/server/ledger/read-events";
import { verifyEvents } from "@/server/ledger/verify-events";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "./database";

/**
 * PostgreSQL restarted under load: concurrent ledger appends run while this file's own embedded
 * server is stopped and started again. Every call must end, never hang: it succeeds, or fails with
 * an error the API reports as "database unavailable, try again" (503 + Retry-After). Every event
 * reported as saved must be there afterwards, and every hash chain must verify.
 */
const WORKERS = 6;
const SUBJECTS = 4;
const CALL_DEADLINE_MS = 15_000;
const actor: TActor = { userId: null, role: "SYSTEM", orgId: null };
const dir = path.resolve(".test-data", `pg-restart-${randomBytes(4).toString("hex")}`);
let server: TEmbeddedPostgres;
let db: PrismaClient;

beforeAll(async () => {
  server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg") });
  await migrate({ url: server.url, log: () => {} });
  const { connectionString, schema } = parseDatabaseUrl(server.url);
  db = new PrismaClient({
    adapter: new PrismaPg(
      { connectionString, options: connectionOptions(schema), connectionTimeoutMillis: 2_000 },
      { schema },
    ),
  });
}, 120_000);

afterAll(async () => {
  await db?.$disconnect().catch(() => {});
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type TResult =
  | { ok: true; id: string; at: number }
  | { ok: false; error: Error; at: number }
  | { ok: "hung"; at: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type TAppend = (subjectId: string, n: number) => Promise<{ id: string }>;

/** Through a Prisma interactive transaction, as most writes are. */
const throughPrisma: TAppend = (subjectId, n) =>
  db.$transaction(
    (tx) =>
      appendEvent({
        tx,
        subject: { type: "organ", id: subjectId },
        type: "ledger.test",
        payload: { n },
        actor,
      }),
    { maxWait: 5_000, timeout: 10_000 },
  );

/** Through the portal's own pool with direct SQL, as a custody step is written. */
const throughDirectSql: TAppend = (subjectId, n) =>
  withSqlTransaction((sql) =>
    appendEvent({
      tx: sql,
      subject: { type: "organ", id: subjectId },
      type: "ledger.test",
      payload: { n },
      actor,
    }),
  );

/** One append, raced against a deadline so a hang shows as a result instead of stalling the test. */
async function appendOnce(append: TAppend, subjectId: string, n: number): Promise<TResult> {
  const at = Date.now();
  const call = append(subjectId, n);
  const deadline = sleep(CALL_DEADLINE_MS).then(() => "hung" as const);
  try {
    const result = await Promise.race([call, deadline]);
    return result === "hung" ? { ok: "hung", at } : { ok: true, id: result.id, at };
  } catch (err) {
    return { ok: false, error: err as Error, at };
  }
}

describe.each([
  { through: "Prisma transactions", append: throughPrisma },
  { through: "direct SQL transactions on the portal's pool", append: throughDirectSql },
])("PostgreSQL restarted during concurrent ledger appends through $through", ({ append }) => {
  const saved = { url: process.env.DATABASE_URL, appUrl: process.env.DATABASE_APP_URL };
  beforeAll(async () => {
    // The portal's own pool (withSqlTransaction) connects to this file's server.
    await disconnectPrisma();
    process.env.DATABASE_URL = server.url;
    delete process.env.DATABASE_APP_URL;
    resetEnvCache();
  });
  afterAll(async () => {
    await disconnectPrisma();
    process.env.DATABASE_URL = saved.url;
    if (saved.appUrl !== undefined) process.env.DATABASE_APP_URL = saved.appUrl;
    resetEnvCache();
  });

  it("no call hangs, nothing accepted is lost, every hash chain verifies", async () => {
    const run = randomBytes(4).toString("hex");
    const results: TResult[] = [];
    let running = true;
    let n = 0;
    const workers = Array.from({ length: WORKERS }, async (_, w) => {
      while (running) {
        const result = await appendOnce(append, `${run}-${(w + n) % SUBJECTS}`, n++);
        results.push(result);
        if (result.ok !== true) await sleep(100); // a client backing off before it retries
      }
    });

    // Appends are flowing before the outage (the first ones wait for pooled connections, which
    // beside other test files can take longer than any fixed pause), then a little longer.
    for (const until = Date.now() + 30_000; !results.some((r) => r.ok === true) && Date.now() < until; )
      await sleep(50);
    await sleep(1_000);
    const stoppedAt = Date.now();
    await server.stop();
    await sleep(2_000);
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: server.port });
    const restartedAt = Date.now();
    await sleep(3_000);
    running = false;
    await Promise.all(workers);

    const accepted = results.filter((r): r is Extract<TResult, { ok: true }> => r.ok === true);
    const failed = results.filter((r): r is Extract<TResult, { ok: false }> => r.ok === false);
    expect(results.filter((r) => r.ok === "hung")).toEqual([]);
    // The outage was felt, and the portal recovered without a restart of its own.
    expect(failed.length).toBeGreaterThan(0);
    expect(accepted.filter((r) => r.at < stoppedAt).length).toBeGreaterThan(0);
    expect(accepted.filter((r) => r.at > restartedAt).length).toBeGreaterThan(0);
    // Each failure is recognised as "database unavailable": the API answers 503 with Retry-After.
    expect(failed.filter((f) => !isDatabaseUnavailable(f.error)).map((f) => f.error.message)).toEqual([]);

    const { events, batches } = await readEventsWithProofs({ subjectId: { startsWith: `${run}-` } }, db);
    const present = new Set(events.map((e) => e.id));
    expect(accepted.filter((r) => !present.has(r.id))).toEqual([]);
    // A call may fail after its COMMIT reached the server; at most those failures add events.
    expect(events.length).toBeGreaterThanOrEqual(accepted.length);
    expect(events.length).toBeLessThanOrEqual(accepted.length + failed.length);
    const { findings } = verifyEvents({ events, batches, onChainRoots: new Map(), wholeSubjects: true });
    expect(findings).toEqual([]);
  }, 60_000);
});

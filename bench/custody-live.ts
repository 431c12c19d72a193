/**
 * Custody events, live: N connected coordinator sockets (default 1,000), custody checkpoints
 * recorded at R per second (default 200) for S seconds (default 60). Prints one JSON line per
 * figure: post→socket latency p50/p99 (each delivery to each socket that should get it), events
 * lost, and the server process's CPU and memory.
 *
 * The "server" is this process: the socket.io server and `recordCustodyEvent` (what the tRPC
 * route runs), on loopback. The sockets live in a child process so their CPU is not counted as
 * the server's. PostgreSQL is DATABASE_URL (a fresh schema) or an embedded one, removed after.
 * Env: CUSTODY_BENCH_SOCKETS, CUSTODY_BENCH_RATE, CUSTODY_BENCH_SECONDS, CUSTODY_BENCH_ORGS,
 * CUSTODY_BENCH_WARMUP_SECONDS (default 3, posted at the same rate first and left out of latency).
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

const BENCH = "custody-live";
const SECRET = "bench-custody-secret-0123456789abcdef012345";
const COOKIE = "authjs.session-token";
const now = () => performance.timeOrigin + performance.now();
const int = (v: string | undefined, d: number) =>
  v && Number.isFinite(Number(v)) ? Math.max(1, Number(v)) : d;

type TSetup = { url: string; sockets: Array<{ token: string; orgId: string }> };
/** `warm`: posted during the warm-up (checked for loss, left out of the latency figures). */
type TPosted = { id: string; organId: string; at: number; orgs: string[]; warm?: boolean };
type TClientReport = {
  latencies: number[];
  lost: number;
  received: number;
  expected: number;
  extra: number;
  cpuPercent: number;
};

function line(name: string, value: number | string, unit: string, extra: Record<string, unknown> = {}) {
  console.log(JSON.stringify({ bench: BENCH, name, value, unit, ...extra }));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

// ───────────────────────── the socket side (child process) ─────────────────────────

async function runClients(): Promise<void> {
  const { io } = await import("socket.io-client");
  const setup = JSON.parse(readFileSync(process.env.CUSTODY_BENCH_SETUP as string, "utf8")) as TSetup;
  const received = setup.sockets.map(() => new Map<string, number>());
  const byOrg = new Map<string, number[]>();
  for (const [i, s] of setup.sockets.entries()) byOrg.set(s.orgId, [...(byOrg.get(s.orgId) ?? []), i]);
  const posted: TPosted[] = [];
  const sockets = setup.sockets.map((s, i) => {
    const socket = io(setup.url, {
      path: "/socket.io",
      transports: ["websocket"],
      extraHeaders: { cookie: `${COOKIE}=${s.token}` },
      reconnection: false,
    });
    socket.on("custody.recorded", (p: { event: { id: string } }) => {
      received[i]?.set(p.event.id, now());
    });
    return socket;
  });
  let ready = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${ready} sockets connected`)), 60_000);
    for (const s of sockets) {
      s.once("session", () => {
        if (++ready === sockets.length) {
          clearTimeout(timer);
          resolve();
        }
      });
      s.once("connect_error", (e) => reject(e));
    }
  });
  process.send?.({ type: "ready" });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  process.on("message", (m: { type: string; posted?: TPosted[] }) => {
    if (m.type === "posted" && m.posted) posted.push(...m.posted);
    if (m.type !== "finish") return;
    const latencies: number[] = [];
    let lost = 0;
    let expected = 0;
    let delivered = 0;
    for (const p of posted) {
      for (const org of p.orgs) {
        for (const i of byOrg.get(org) ?? []) {
          expected++;
          const at = received[i]?.get(p.id);
          if (at === undefined) lost++;
          else {
            delivered++;
            if (!p.warm) latencies.push(at - p.at);
          }
        }
      }
    }
    const total = received.reduce((n, r) => n + r.size, 0);
    for (const s of sockets) s.close();
    const cpu = process.cpuUsage(cpu0);
    const cpuPercent = ((cpu.user + cpu.system) / 1e3 / (performance.now() - t0)) * 100;
    const report: TClientReport = {
      cpuPercent,
      latencies,
      lost,
      received: delivered,
      expected,
      extra: total - delivered,
    };
    process.send?.({ type: "report", report }, () => process.exit(0));
  });
}

// ───────────────────────── the server side (this process) ─────────────────────────

export async function run(): Promise<void> {
  const socketsWanted = int(process.env.CUSTODY_BENCH_SOCKETS, 1000);
  const rate = int(process.env.CUSTODY_BENCH_RATE, 200);
  const seconds = int(process.env.CUSTODY_BENCH_SECONDS, 60);
  const orgCount = int(process.env.CUSTODY_BENCH_ORGS, 200);
  const organCount = Math.max(rate, 50);

  const { startTestDatabase } = await import("@/test/setup/database");
  const db = await startTestDatabase();
  const dir = mkdtempSync(path.join(tmpdir(), "custody-bench-"));
  let http: HttpServer | undefined;
  let child: ChildProcess | undefined;
  try {
    Object.assign(process.env, db.env);
    // Custody notes are encrypted: data keys wrapped under a key-encryption key, as the portal's are.
    const { testKeyRingSource } = await import("@/test/factories/test-keys");
    process.env.DATA_ENCRYPTION_KEYS ??= testKeyRingSource("bench");
    process.env.KEYS_DIR = path.join(dir, "keys");
    const { resetEnvCache } = await import("@/server/env");
    resetEnvCache();
    const { disconnectPrisma } = await import("@/server/db");
    const { attachSocketServer } = await import("@/server/live/socket-server");
    const { liveRegistry } = await import("@/server/live/registry");
    const { encode } = await import("next-auth/jwt");
    const { recordCustodyEvent } = await import("@/server/custody/record-custody-event");
    const { createTravellingOrgan, createStaff } = await import("@/test/factories/organ-factory");

    // Organisations: half OPOs, half centres; every organ goes from one OPO to one centre.
    const half = Math.max(1, Math.floor(orgCount / 2));
    const opos = await Promise.all(Array.from({ length: half }, () => createStaff({ kind: "OPO" })));
    const centres = await Promise.all(
      Array.from({ length: half }, () => createStaff({ kind: "TRANSPLANT_CENTER" })),
    );
    const courier = await createStaff({ kind: "COURIER_SERVICE" });
    const organs: Array<{ id: string; orgs: string[] }> = [];
    for (let i = 0; i < organCount; i++) {
      const opo = opos[i % half] as (typeof opos)[number];
      const centre = centres[(i * 7) % half] as (typeof centres)[number];
      const organ = await createTravellingOrgan({ opo, centre, courier, clampedMinutesAgo: 30 });
      organs.push({ id: organ.id, orgs: [opo.org.id, centre.org.id] });
    }

    http = createServer();
    const io = await attachSocketServer(http, { authSecret: SECRET, endedSessions: async () => new Set() });
    await new Promise<void>((r) => http?.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const coordinators = [...opos, ...centres];
    const sockets = await Promise.all(
      Array.from({ length: socketsWanted }, async (_, i) => {
        const who = coordinators[i % coordinators.length] as (typeof coordinators)[number];
        const token = await encode({ token: { user: who.user }, secret: SECRET, salt: COOKIE });
        return { token, orgId: who.org.id };
      }),
    );
    const setupFile = path.join(dir, "setup.json");
    writeFileSync(setupFile, JSON.stringify({ url, sockets } satisfies TSetup));

    child = fork(import.meta.filename, [], {
      execArgv: ["--import", "tsx", "--import", "./scripts/server-only.mjs"],
      env: { ...process.env, CUSTODY_BENCH_ROLE: "clients", CUSTODY_BENCH_SETUP: setupFile },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const messages = (type: string, ms: number) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${type} from the socket process in ${ms} ms`)),
          ms,
        );
        const onMessage = (m: Record<string, unknown>) => {
          if (m.type !== type) return;
          clearTimeout(timer);
          child?.off("message", onMessage);
          resolve(m);
        };
        child?.on("message", onMessage);
        child?.once("exit", (code) => code && reject(new Error(`socket process exited with ${code}`)));
      });
    await messages("ready", 90_000);
    line("sockets_connected", io.of("/").sockets.size, "sockets");

    // Post at a steady rate, a checkpoint on the next organ each time.
    const posted: TPosted[] = [];
    const failures: string[] = [];
    let batch: TPosted[] = [];
    const cpu0 = process.cpuUsage();
    // Where a slow delivery comes from: the server's event loop held up, or the write itself slow.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const recordMs: number[] = [];
    const t0 = performance.now();
    let peakRss = process.memoryUsage().rss;
    let sent = 0;
    let inFlight = 0;
    const warmup = Math.min(seconds, int(process.env.CUSTODY_BENCH_WARMUP_SECONDS, 3)) * rate;
    const total = rate * seconds + warmup;
    const posts: Promise<void>[] = [];
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
        while (sent < due && inFlight < 256) {
          const organ = organs[sent % organs.length] as (typeof organs)[number];
          sent++;
          inFlight++;
          const at = now();
          const warm = sent <= warmup;
          posts.push(
            recordCustodyEvent({
              organId: organ.id,
              clientEventId: randomUUID(),
              kind: "CHECKPOINT",
              reportedAt: new Date(),
              details: { location: "Bench corridor", temperatureC: 4 },
              actor: courier.user,
            })
              .then(({ event }) => {
                if (!warm) recordMs.push(now() - at);
                const p = { id: event.id, organId: organ.id, at, orgs: organ.orgs, warm };
                posted.push(p);
                batch.push(p);
              })
              .catch((err: Error) => {
                failures.push(err.message);
              })
              .finally(() => {
                inFlight--;
              }),
          );
        }
        if (batch.length) {
          child?.send({ type: "posted", posted: batch });
          batch = [];
        }
        if (sent >= total) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    await Promise.all(posts);
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (batch.length) child.send({ type: "posted", posted: batch });
    await new Promise((r) => setTimeout(r, 1000)); // let the last pushes arrive
    child.send({ type: "finish" });
    const { report } = (await messages("report", 120_000)) as unknown as { report: TClientReport };
    const sorted = report.latencies.sort((a, b) => a - b);

    line("events_posted", posted.length, "events", {
      rate_per_s: rate,
      seconds,
      warmup_events: warmup,
      sockets: socketsWanted,
      organisations: half * 2,
      sockets_per_event: Math.round((socketsWanted / (half * 2)) * 2),
    });
    line("post_rate_achieved", Number((posted.length / wall).toFixed(1)), "events/s");
    line("post_failures", failures.length, "events", failures.length ? { first: failures[0] } : {});
    line("post_to_socket_p50", Number(percentile(sorted, 50).toFixed(2)), "ms");
    line("post_to_socket_p99", Number(percentile(sorted, 99).toFixed(2)), "ms", {
      target: "<= 100",
      p95: Number(percentile(sorted, 95).toFixed(2)),
      max: Number((sorted.at(-1) ?? Number.NaN).toFixed(2)),
    });
    loopDelay.disable();
    const recordSorted = recordMs.sort((a, b) => a - b);
    line("record_p99", Number(percentile(recordSorted, 99).toFixed(2)), "ms", {
      note: "post to committed, in the server (the rest of post-to-socket is the push)",
      p50: Number(percentile(recordSorted, 50).toFixed(2)),
      max: Number((recordSorted.at(-1) ?? Number.NaN).toFixed(2)),
    });
    line("server_event_loop_delay_p99", Number((loopDelay.percentile(99) / 1e6).toFixed(1)), "ms", {
      max: Number((loopDelay.max / 1e6).toFixed(1)),
    });
    line("deliveries", report.received, "socket messages", { expected: report.expected });
    line("events_lost", report.lost, "socket messages", { target: 0 });
    line("server_cpu", Number((((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(1)), "% of one core");
    line("server_rss_peak", Math.round(peakRss / 1024 / 1024), "MiB");
    line("socket_clients_cpu", Number(report.cpuPercent.toFixed(1)), "% of one core", {
      note: "the 1,000 client sockets, in their own process on the same two cores",
    });
    await new Promise<void>((r) => io.close(() => r()));
    liveRegistry().io = null;
    http = undefined;
    await disconnectPrisma();
  } finally {
    child?.kill();
    http?.close();
    rmSync(dir, { recursive: true, force: true });
    await db.stop();
  }
}

if (process.env.CUSTODY_BENCH_ROLE === "clients") {
  runClients().catch((err) => {
    console.error(`[bench] socket process: ${(err as Error).message}`);
    process.exit(1);
  });
} else if (import.meta.url === `file://${process.argv[1]}`) {
  run().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

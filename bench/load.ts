/**
 * Sustained mixed load against a real portal (`scripts/start.ts`: Next, tRPC, socket.io, embedded
 * PostgreSQL or DATABASE_URL, anvil, anchoring worker), over loopback: sign-ins, custody checkpoints,
 * organ provenance reads, public receipt checks, and match runs where the allocation API exists.
 * Prints one JSON line per figure: throughput, p50/p99 per operation and overall, error rate (any
 * status that is not 2xx/4xx, or no answer), and the server's memory at start and end (no leak).
 * Env: LOAD_SECONDS (default 300), LOAD_CONCURRENCY (default 12), LOAD_PORT (default 3190),
 * LOAD_DATA_DIR (default .bench-data/load).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { performance } from "node:perf_hooks";

const BENCH = "load";
const int = (v: string | undefined, d: number) =>
  v && Number.isFinite(Number(v)) ? Math.max(1, Number(v)) : d;
const seconds = int(process.env.LOAD_SECONDS, 300);
const concurrency = int(process.env.LOAD_CONCURRENCY, 12);
const port = int(process.env.LOAD_PORT, 3190);
const dataDir = path.resolve(process.env.LOAD_DATA_DIR ?? ".bench-data/load");
export const base = `http://localhost:${port}`;
const PASSWORD = "demo-portal-2026";
const print = (figure: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ bench: BENCH, figure, value, unit, ...extra }));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Cookie jar of one virtual user. */
class Session {
  cookies = new Map<string, string>();
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (pair && eq > 0) this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  async fetch(url: string, init: RequestInit = {}) {
    const res = await fetch(`${base}${url}`, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: this.header(), origin: base },
    });
    this.take(res);
    return res;
  }
}

/** Signs in through next-auth's credentials endpoint, as the sign-in form does. */
export async function signIn(email: string): Promise<{ session: Session; status: number }> {
  const session = new Session();
  const csrf = await session.fetch("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await session.fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      email,
      password: PASSWORD,
      csrfToken,
      callbackUrl: `${base}/home`,
    }).toString(),
  });
  await res.arrayBuffer();
  const ok = [...session.cookies.keys()].some((k) => k.includes("session-token"));
  return { session, status: ok ? 200 : res.status === 302 ? 401 : res.status };
}

export const trpcQuery = (session: Session, proc: string, input: unknown) =>
  session.fetch(`/api/trpc/${proc}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
const trpcMutation = (session: Session, proc: string, input: unknown) =>
  session.fetch(`/api/trpc/${proc}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: input }),
  });

export async function startPortal(): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  // LOAD_NODE_ARGS: flags for the portal's Node process itself (e.g. `--cpu-prof`, not allowed in NODE_OPTIONS).
  // Node itself, as `npm start` runs it: the stop signal reaches the portal, which stops its database and chain.
  const nodeArgs = process.env.LOAD_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const args = [...nodeArgs, "--import", "tsx", "--import", "./scripts/server-only.mjs", "scripts/start.ts"];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      ANCHOR_INTERVAL_MS: "2000",
      NODE_ENV: "production",
      // Every virtual user comes from one address as a few demo users: measure the portal, not its limits.
      RATE_LIMIT_FACTOR: process.env.RATE_LIMIT_FACTOR ?? "1000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output = (output + String(d)).slice(-20_000);
  });
  child.stderr?.on("data", (d) => {
    output = (output + String(d)).slice(-20_000);
  });
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`portal exited during start-up:\n${output}`);
    if (
      await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`portal did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  return {
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 30_000).unref();
      }),
  };
}

export type TOp = { name: string; weight: number; run: () => Promise<number> };

/**
 * Sets the stage on a running portal (organs in transit, sessions, a receipt code) and returns the
 * operations of the mix, each returning the HTTP status it got.
 */
export async function stageOperations(): Promise<{
  ops: TOp[];
  health: () => Promise<{ process: { rssMb: number; heapUsedMb: number } }>;
}> {
  {
    process.env.E2E_DATA_DIR = dataDir; // the database helper below finds the portal's database there
    const { createAllocatedOrgan } = await import("../test/factories/portal-db");
    const health = async () =>
      (await (await fetch(`${base}/api/health`)).json()) as {
        process: { rssMb: number; heapUsedMb: number };
      };

    // Stage: organs in transit with the courier, so checkpoints can be recorded without end.
    const opo = (await signIn("opo@demo.test")).session;
    const courier = (await signIn("courier@demo.test")).session;
    const regulator = (await signIn("regulator@demo.test")).session;
    const organs: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { organId } = await createAllocatedOrgan();
      const step = async (s: Session, kind: string, details: Record<string, unknown>, at: Date) => {
        const res = await trpcMutation(s, "custody.recordEvent", {
          organId,
          clientEventId: randomUUID(),
          kind,
          reportedAt: at.toISOString(),
          details,
        });
        if (!res.ok) throw new Error(`staging ${kind}: ${res.status} ${await res.text()}`);
      };
      const clamp = new Date(Date.now() - 60 * 60_000);
      await step(opo, "CROSS_CLAMP", { location: "Bench General" }, clamp);
      await step(opo, "RECOVERED", {}, new Date(clamp.getTime() + 20 * 60_000));
      await step(opo, "PACKAGED", { temperatureC: 4 }, new Date(clamp.getTime() + 30 * 60_000));
      await step(opo, "HANDOFF_OFFERED", { toEmail: "courier@demo.test" }, new Date());
      await step(courier, "HANDOFF_ACCEPTED", { location: "Bench bay", temperatureC: 4 }, new Date());
      organs.push(organId);
    }
    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)] as T;
    const donorSession = (await signIn("donor@demo.test")).session;
    const mine = await trpcQuery(donorSession, "consent.myRegistration", undefined);
    const receipts = mine.ok
      ? (
          (await mine.json()) as { result: { data: { json: { versions: Array<{ receiptCode: string }> } } } }
        ).result.data.json.versions.map((v) => v.receiptCode)
      : [];
    const anonymous = new Session();

    const ops: TOp[] = [
      {
        name: "sign-in",
        weight: 1,
        run: async () =>
          (
            await signIn(
              pick(["opo@demo.test", "center@demo.test", "regulator@demo.test", "courier@demo.test"]),
            )
          ).status,
      },
      {
        name: "custody-checkpoint",
        weight: 3,
        run: async () => {
          const res = await trpcMutation(courier, "custody.recordEvent", {
            organId: pick(organs),
            clientEventId: randomUUID(),
            kind: "CHECKPOINT",
            reportedAt: new Date().toISOString(),
            details: { location: `Mile ${Math.floor(Math.random() * 500)}`, temperatureC: 4 },
          });
          await res.arrayBuffer();
          return res.status;
        },
      },
      {
        name: "provenance-read",
        weight: 3,
        run: async () => {
          const res = await trpcQuery(regulator, "provenance.organTimeline", { organId: pick(organs) });
          await res.arrayBuffer();
          return res.status;
        },
      },
      ...(receipts.length
        ? [
            {
              name: "receipt-verify",
              weight: 1,
              run: async () => {
                const res = await trpcQuery(anonymous, "consent.verifyReceipt", { code: pick(receipts) });
                await res.arrayBuffer();
                return res.status;
              },
            },
          ]
        : []),
    ];
    // Match runs: seeded organs that have an allocation policy and are not yet allocated.
    const cases = await trpcQuery(opo, "donorCase.list", undefined).catch(() => null);
    if (cases?.ok) {
      const body = (await cases.json()) as {
        result: { data: { json: Array<{ organs?: Array<{ id: string; type: string; status: string }> }> } };
      };
      const organIds = body.result.data.json.flatMap(
        (c) =>
          c.organs
            ?.filter((o) => ["KIDNEY", "LIVER", "HEART", "LUNG"].includes(o.type) && o.status === "AVAILABLE")
            .map((o) => o.id) ?? [],
      );
      if (organIds.length) {
        ops.push({
          name: "match-run",
          weight: 2,
          run: async () => {
            const res = await trpcMutation(opo, "matchRun.run", { organId: pick(organIds) });
            await res.arrayBuffer();
            return res.status;
          },
        });
      }
    }

    return { ops, health };
  }
}

export async function run(): Promise<void> {
  const portal = await startPortal();
  try {
    const { ops, health } = await stageOperations();
    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)] as T;
    const weighted = ops.flatMap((o) => Array.from({ length: o.weight }, () => o));
    const latencies = new Map<string, number[]>(ops.map((o) => [o.name, []]));
    const statuses = new Map<string, Map<number, number>>(ops.map((o) => [o.name, new Map()]));
    let errors = 0;
    let total = 0;
    const before = await health();
    const memory: number[] = [before.process.rssMb];
    const heap: number[] = [before.process.heapUsedMb];
    const sampler = setInterval(() => {
      health().then(
        (h) => {
          memory.push(h.process.rssMb);
          heap.push(h.process.heapUsedMb);
        },
        () => {},
      );
    }, 10_000);
    const end = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < end) {
          const op = pick(weighted);
          const t0 = performance.now();
          let status = 0;
          try {
            status = await op.run();
          } catch {
            status = 0;
          }
          latencies.get(op.name)?.push(performance.now() - t0);
          const counts = statuses.get(op.name);
          counts?.set(status, (counts.get(status) ?? 0) + 1);
          total++;
          if (status < 200 || status >= 500 || (status >= 300 && status < 400)) errors++;
        }
      }),
    );
    clearInterval(sampler);
    const after = await health();
    memory.push(after.process.rssMb);
    heap.push(after.process.heapUsedMb);

    print("duration", seconds, "s", { concurrency });
    print("throughput", Math.round(total / seconds), "req/s", { requests: total });
    const all = [...latencies.values()].flat().sort((a, b) => a - b);
    print("p50", Math.round(percentile(all, 50)), "ms");
    print("p99", Math.round(percentile(all, 99)), "ms");
    for (const [name, list] of latencies) {
      list.sort((a, b) => a - b);
      print(`${name}-p50`, Math.round(percentile(list, 50)), "ms", {
        requests: list.length,
        statuses: Object.fromEntries(statuses.get(name) ?? []),
      });
      print(`${name}-p99`, Math.round(percentile(list, 99)), "ms");
    }
    print("non-4xx-errors", errors, "requests", { rate: total ? errors / total : 0 });
    print("server-rss-start", before.process.rssMb, "MB");
    print("server-rss-end", after.process.rssMb, "MB");
    print(
      "server-rss-growth-second-half",
      Math.round((memory.at(-1) ?? 0) - (memory[Math.floor(memory.length / 2)] ?? 0)),
      "MB",
      { samples: memory },
    );
    // The JS heap apart from what V8 has reserved: growth here that survives collections is a leak.
    print(
      "server-heap-growth-second-half",
      Math.round((heap.at(-1) ?? 0) - (heap[Math.floor(heap.length / 2)] ?? 0)),
      "MB",
      { samples: heap },
    );
  } finally {
    await portal.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/**
 * Server CPU per operation (not a bench figure; `npx tsx --import ./scripts/server-only.mjs bench/_profile-ops.ts`): starts the portal
 * as the load bench does, then runs each operation of the mix alone, N times at a small
 * concurrency, and reads the CPU the portal's Node process (and PostgreSQL's processes) spent, from
 * /proc, before and after. CPU time per operation is what another engineer's build on the same
 * cores does not distort (wall time is). With PROFILE_DIR set, the portal runs under
 * `node --cpu-prof` and writes its profile there when it stops.
 * Env: PROFILE_OPS_N (default 200), PROFILE_OPS_CONCURRENCY (default 4), PROFILE_OPS_ONLY (names).
 */
import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const n = Number(process.env.PROFILE_OPS_N ?? 200);
const concurrency = Number(process.env.PROFILE_OPS_CONCURRENCY ?? 4);
const only = process.env.PROFILE_OPS_ONLY?.split(",");
const TICK = 100; // USER_HZ

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}
function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children(p)) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}
const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
};
/** utime + stime (+ waited-for children) of a process, in ms. */
function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / TICK;
  } catch {
    return 0;
  }
}

export async function main(): Promise<void> {
  if (process.env.PROFILE_DIR) {
    process.env.LOAD_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${process.env.PROFILE_DIR}`;
  }
  const { base, startPortal, stageOperations, signIn, trpcQuery } = await import("./load");
  const portal = await startPortal();
  try {
    const { ops } = await stageOperations();
    // The fixed cost of one tRPC call through the Next route handler: a signed-in "who am I".
    const regulator = (await signIn("regulator@demo.test")).session;
    ops.unshift({
      name: "trpc-whoami",
      weight: 0,
      run: async () => {
        const res = await trpcQuery(regulator, "session.whoami", undefined);
        await res.arrayBuffer();
        return res.status;
      },
    });
    // The fixed cost of one next-auth request (/api/auth): the CSRF token a sign-in asks for first.
    ops.unshift({
      name: "auth-csrf",
      weight: 0,
      run: async () => {
        const res = await fetch(`${base}/api/auth/csrf`);
        await res.arrayBuffer();
        return res.status;
      },
    });
    const all = descendants(portal.child.pid as number);
    const server = [portal.child.pid as number, ...all]
      .filter((p) => comm(p).startsWith("node"))
      .at(-1) as number;
    const postgres = () => descendants(server).filter((p) => comm(p) === "postgres");
    const cpu = () => ({ node: cpuMs(server), pg: postgres().reduce((s, p) => s + cpuMs(p), 0) });
    for (const op of ops) {
      if (only && !only.includes(op.name)) continue;
      for (let i = 0; i < 10; i++) await op.run(); // warm
      const before = cpu();
      const t0 = performance.now();
      let done = 0;
      const statuses = new Map<number, number>();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (done < n) {
            done++;
            const s = await op.run().catch(() => 0);
            statuses.set(s, (statuses.get(s) ?? 0) + 1);
          }
        }),
      );
      const wall = performance.now() - t0;
      const after = cpu();
      console.log(
        JSON.stringify({
          op: op.name,
          requests: n,
          nodeCpuMsPerOp: Number(((after.node - before.node) / n).toFixed(2)),
          postgresCpuMsPerOp: Number(((after.pg - before.pg) / n).toFixed(2)),
          wallMsPerOp: Number((wall / n).toFixed(1)),
          statuses: Object.fromEntries(statuses),
        }),
      );
    }
  } finally {
    await portal.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

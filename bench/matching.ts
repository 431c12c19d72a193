/**
 * Match-run cost as the waiting list grows: 10,000, 100,000 and 1,000,000 synthetic candidates
 * (realistic ABO, HLA and cPRA mix; `generateSyntheticCandidates`), kidney under the US-style
 * continuous-distribution policy. The waiting list is parsed and prepared once (the portal keeps it
 * prepared); each run is request → ranked list: prepare the donor, filter, score, sort, explain
 * the top 500 and the first 500 exclusions (as `runMatch` does; the rest compact).
 * Prints p50/p99 per size (target at 100,000: p50 ≤ 200 ms, p99 ≤ 500 ms) and peak memory.
 * Env: MATCH_BENCH_SIZES (default 10000,100000,1000000).
 */
import { performance } from "node:perf_hooks";
import { generateSyntheticCandidates, syntheticDonor } from "@/prisma/synthetic";
import { prepareCandidate } from "@/server/matching/engine/prepare-candidate";
import { prepareDonor } from "@/server/matching/engine/prepare-donor";
import { rankCandidates } from "@/server/matching/engine/rank-candidates";
import { findAllocationPolicy } from "@/server/matching/policies";

const ABO = ["O", "A", "B", "AB"] as const;
const DONOR_HLA = [
  { A: ["A2", "A24"], B: ["B44", "B8"], C: ["C7"], DR: ["DR15", "DR4"], DQ: ["DQ6", "DQ8"], DP: [] },
  { A: ["A1", "A3"], B: ["B7", "B35"], C: ["C4"], DR: ["DR1", "DR7"], DQ: ["DQ5", "DQ2"], DP: [] },
  { A: ["A11", "A2"], B: ["B51", "B62"], C: ["C3"], DR: ["DR13", "DR11"], DQ: ["DQ7", "DQ6"], DP: [] },
];

export async function run(): Promise<void> {
  const sizes = (process.env.MATCH_BENCH_SIZES ?? "10000,100000,1000000").split(",").map(Number);
  const policy = findAllocationPolicy("us-kidney-cd");
  if (!policy) throw new Error("policy us-kidney-cd is missing");
  const now = new Date("2026-01-01T00:00:00Z");
  const consent = { organs: ["KIDNEYS"], purposes: ["TRANSPLANT"] };
  let peakRss = 0;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  const sampler = setInterval(sample, 20);

  for (const n of sizes) {
    global.gc?.();
    const t0 = performance.now();
    const candidates = generateSyntheticCandidates({ n, seed: 2026, organ: "KIDNEY", now }).map(
      prepareCandidate,
    );
    const prepareMs = performance.now() - t0;
    const runs = n >= 1_000_000 ? 7 : n >= 100_000 ? 31 : 61;
    const times: number[] = [];
    let ranked = 0;
    let excluded = 0;
    for (let i = 0; i < runs; i++) {
      const donor = syntheticDonor({
        id: `BENCH-${i}`,
        abo: ABO[i % ABO.length],
        hla: DONOR_HLA[i % DONOR_HLA.length],
        ageYears: 20 + ((i * 7) % 50),
      });
      const s = performance.now();
      const result = rankCandidates({
        donor: prepareDonor(donor),
        organ: "KIDNEY",
        candidates,
        policy,
        now,
        consent,
        detail: 500, // as the portal stores a run: the top 500 explained, the rest compact
      });
      const ms = performance.now() - s;
      sample();
      if (i > 0) times.push(ms); // the first run warms the JIT
      ranked = result.ranked.length + result.tail.candidateIds.length;
      excluded = result.excluded.length + Object.values(result.excludedMore).reduce((a, b) => a + b, 0);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 10) / 10;
    console.log(
      JSON.stringify({
        bench: "match_run",
        candidates: n,
        runs: times.length,
        p50Ms: at(0.5),
        p99Ms: at(0.99),
        rankedLastRun: ranked,
        excludedLastRun: excluded,
        prepareWaitingListMs: Math.round(prepareMs),
        peakRssMb: Math.round(peakRss / 1e6),
        ...(n === 100_000 ? { target: "p50 <= 200 ms, p99 <= 500 ms" } : {}),
      }),
    );
  }
  clearInterval(sampler);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

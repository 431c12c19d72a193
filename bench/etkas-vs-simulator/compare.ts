/**
 * The portal's Eurotransplant kidney programme against the public ETKidney simulator, on one case set.
 *
 *   npx tsx bench/etkas-vs-simulator/compare.ts gen [seed] [donors] [candidates] > cases.json
 *   npx tsx bench/etkas-vs-simulator/compare.ts portal cases.json > portal.json
 *   SIMULATOR_DIR=… python3 bench/etkas-vs-simulator/simulator_rank.py cases.json > simulator.json
 *   npx tsx bench/etkas-vs-simulator/compare.ts report cases.json simulator.json portal.json
 *
 * `portal` ranks each donor with what a match run uses: the programme chooses the policy by donor
 * age (choosePolicy), then rankCandidates over the prepared candidates. See docs/allocation-comparison.md.
 */
import { readFileSync } from "node:fs";
import { syntheticDonor } from "@/prisma/synthetic";
import { parseCandidate } from "@/server/matching/engine/prepare-candidate";
import { prepareDonor } from "@/server/matching/engine/prepare-donor";
import { rankCandidates } from "@/server/matching/engine/rank-candidates";
import { choosePolicy } from "@/server/matching/policies";
import { CENTRES, generateCases, type TCaseCandidate, type TCaseDonor, type TCaseSet } from "./cases";

type TRanking = Record<
  string,
  {
    programme: string;
    policy?: string;
    ranked: {
      id: string;
      tier: string | null;
      points: number;
      key?: unknown[];
      components?: Record<string, number>;
    }[];
  }
>;

const PROGRAMME = "eurotransplant-kidney";
const consent = { organs: ["KIDNEYS"], purposes: ["TRANSPLANT"] };
const DAY_YEARS = 1 / 365.25;
// A centre not in the generated set (held-out cases): no place, which ETKAS and ESP do not rank on
// ("local" and "national" come from region and country), and the ESP subregion the case gives.
const centre = (code: string) =>
  CENTRES.find((x) => x.centre === code) ?? { centre: code, lat: 50, lon: 10, espSubregion: undefined };
// "Local" is the region in AT, BE and DE and the country elsewhere: the portal's region field.
const portalRegion = (c: { country: string; simRegion: string }) =>
  ["AT", "BE", "DE"].includes(c.country) ? c.simRegion : c.country;

function portalCandidate(c: TCaseCandidate) {
  const at = centre(c.centre);
  return parseCandidate({
    id: c.id,
    centreId: c.centre,
    organ: "KIDNEY",
    status: "ACTIVE",
    abo: c.abo,
    hla: { A: c.typing.A, B: c.typing.B, DR: c.typing.DR },
    unacceptable: c.unacceptableList,
    cpra: 0,
    listedAt: c.listedAt,
    dialysisStartedAt: c.dialysisStartedAt,
    dateOfBirth: c.dateOfBirth,
    sex: "F",
    heightCm: 170,
    weightKg: 70,
    urgency: { highUrgency: c.highUrgency },
    location: { lat: at.lat, lon: at.lon },
    country: c.country,
    region: portalRegion(c),
    kidneyProgramme: c.kidneyProgramme ?? undefined,
    acceptableMismatchProgramme: c.am,
    antibodyScreenedAt: c.antibodyScreenedAt,
    retransplant: c.retx
      ? {
          accruedDialysisYears: c.retx.accruedDialysisDays * DAY_YEARS,
          transplantedAt: c.retx.transplantedAt,
          dialysisResumedAt: c.retx.dialysisResumedAt,
        }
      : undefined,
    espSubregion: c.espSubregion === undefined ? at.espSubregion : (c.espSubregion ?? undefined),
  });
}

function portalDonor(d: TCaseDonor) {
  const at = centre(d.centre);
  return prepareDonor(
    syntheticDonor({
      id: d.id,
      abo: d.abo,
      hla: { A: d.typing.A, B: d.typing.B, C: [], DR: d.typing.DR, DRB345: d.drb345, DQ: d.dq, DP: [] },
      ageYears: d.ageYears,
      dcd: d.dcd,
      country: d.country,
      region: portalRegion(d),
      location: { lat: at.lat, lon: at.lon },
      allocationCentreId: d.centre,
      balance: { group: "donor-age", national: d.balance.national, regional: d.balance.regional },
      espSubregion: d.espSubregion ?? undefined,
    }),
  );
}

export function rankWithPortal(cases: TCaseSet): TRanking {
  const now = new Date(`${cases.matchDate}Z`);
  const candidates = cases.candidates.map(portalCandidate);
  const out: TRanking = {};
  for (const d of cases.donors) {
    const donor = portalDonor(d);
    const policy = choosePolicy(PROGRAMME, donor);
    if (!policy) throw new Error(`no policy for donor ${d.id}`);
    const r = rankCandidates({ donor, organ: "KIDNEY", candidates, policy, now, consent });
    out[d.id] = {
      programme: policy.id === "eurotransplant-esp" ? "ESP" : "ETKAS",
      policy: `${policy.id} v${policy.version}`,
      ranked: r.ranked.map((x) => {
        const components: Record<string, number> = {};
        for (const b of x.breakdown) components[b.group] = (components[b.group] ?? 0) + b.points;
        return { id: x.candidateId, tier: x.tier?.id ?? null, points: x.score, components };
      }),
    };
  }
  return out;
}

/**
 * Kendall tau over the candidates both rank, counting the pairs `b` orders: `a` is a strict order
 * (the portal's); `b` gives each candidate a rank and optionally its sort key, and a pair with equal
 * keys is left out (the simulator keeps input order among equal keys, which is no rule). 1 when
 * every pair the simulator orders is in the same order; null when there is no such pair.
 */
export function kendallTau(a: string[], b: { id: string; key?: unknown }[]): number | null {
  const inB = new Map(b.map((x, i) => [x.id, { i, key: JSON.stringify(x.key ?? i) }]));
  const common = a.flatMap((id) => {
    const hit = inB.get(id);
    return hit ? [hit] : [];
  });
  const n = common.length;
  if (n < 2) return null;
  let s = 0;
  let tiedB = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const x = common[i] as { i: number; key: string };
      const y = common[j] as { i: number; key: string };
      if (x.key === y.key) tiedB++;
      else s += Math.sign(y.i - x.i);
    }
  const pairs = (n * (n - 1)) / 2;
  return pairs === tiedB ? null : s / (pairs - tiedB);
}

export function report(cases: TCaseSet, sim: TRanking, portal: TRanking): string {
  const lines = [
    "| donor | programme | age | eligible: both / only portal / only simulator | top-10 overlap | Kendall tau |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  let allBoth = 0;
  let allOnlyP = 0;
  let allOnlyS = 0;
  for (const d of cases.donors) {
    const s = (sim[d.id]?.ranked ?? []).map((x) => x.id);
    const p = (portal[d.id]?.ranked ?? []).map((x) => x.id);
    const sSet = new Set(s);
    const pSet = new Set(p);
    const both = p.filter((id) => sSet.has(id)).length;
    const onlyP = p.length - both;
    const onlyS = s.filter((id) => !pSet.has(id)).length;
    allBoth += both;
    allOnlyP += onlyP;
    allOnlyS += onlyS;
    const k = Math.min(10, s.length, p.length);
    const topS = new Set(s.slice(0, 10));
    const overlap = p.slice(0, 10).filter((id) => topS.has(id)).length;
    const tau = kendallTau(p, sim[d.id]?.ranked ?? []);
    lines.push(
      `| ${d.id} | ${sim[d.id]?.programme ?? "?"} / ${portal[d.id]?.programme ?? "?"} | ${d.ageYears} | ${both} / ${onlyP} / ${onlyS} | ${overlap} of ${k} | ${tau === null ? "–" : tau.toFixed(3)} |`,
    );
  }
  lines.push(`| all | | | ${allBoth} / ${allOnlyP} / ${allOnlyS} | | |`);
  return lines.join("\n");
}

/** Per donor, the first pairs the two order differently, with both sides' tier and points. */
export function disagreements(sim: TRanking, portal: TRanking, donorId: string, limit = 10): string[] {
  const s = sim[donorId]?.ranked ?? [];
  const p = portal[donorId]?.ranked ?? [];
  const sIdx = new Map(s.map((x, i) => [x.id, i]));
  const common = p.filter((x) => sIdx.has(x.id));
  const out: string[] = [];
  for (let i = 0; i + 1 < common.length && out.length < limit; i++) {
    const a = common[i];
    const b = common[i + 1];
    if (!a || !b) break;
    if ((sIdx.get(a.id) as number) > (sIdx.get(b.id) as number)) {
      const sa = s[sIdx.get(a.id) as number];
      const sb = s[sIdx.get(b.id) as number];
      out.push(
        `${a.id} before ${b.id} in the portal (${a.tier}/${a.points} vs ${b.tier}/${b.points}); simulator ${sa?.tier}/${sa?.points.toFixed(2)} vs ${sb?.tier}/${sb?.points.toFixed(2)}`,
      );
    }
  }
  return out;
}

function main() {
  const [cmd, ...args] = process.argv.slice(2);
  const read = <T>(path: string | undefined): T => JSON.parse(readFileSync(path ?? "", "utf8")) as T;
  if (cmd === "gen") {
    const [seed = "16", donors = "10", candidates = "500"] = args;
    process.stdout.write(
      `${JSON.stringify(generateCases({ seed: Number(seed), donors: Number(donors), candidates: Number(candidates) }), null, 1)}\n`,
    );
  } else if (cmd === "portal") {
    process.stdout.write(`${JSON.stringify(rankWithPortal(read<TCaseSet>(args[0])), null, 1)}\n`);
  } else if (cmd === "report") {
    const cases = read<TCaseSet>(args[0]);
    const sim = read<TRanking>(args[1]);
    const portal = read<TRanking>(args[2]);
    console.log(report(cases, sim, portal));
    if (process.env.DETAIL)
      for (const d of cases.donors) {
        const s = new Set((sim[d.id]?.ranked ?? []).map((x) => x.id));
        const p = new Set((portal[d.id]?.ranked ?? []).map((x) => x.id));
        console.log(`\n${d.id}: only portal ${[...p].filter((x) => !s.has(x)).join(" ")}`);
        console.log(`${d.id}: only simulator ${[...s].filter((x) => !p.has(x)).join(" ")}`);
        for (const line of disagreements(sim, portal, d.id)) console.log(`  ${line}`);
      }
  } else {
    console.error("usage: compare.ts gen|portal|report …");
    process.exit(2);
  }
}

if (process.argv[1]?.endsWith("compare.ts")) main();

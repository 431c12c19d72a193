import type { TCandidate } from "@/server/matching/engine/prepare-candidate";
import type { TDonor } from "@/server/matching/engine/prepare-donor";
import type { TOrganType } from "@/server/matching/organ-type";

/** mulberry32: a tiny seeded PRNG, so synthetic lists are identical for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type TWeighted<T> = readonly (readonly [T, number])[];
const pick = <T>(rand: () => number, table: TWeighted<T>): T => {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [v, w] of table) {
    r -= w;
    if (r < 0) return v;
  }
  return (table[table.length - 1] as readonly [T, number])[0];
};

const ABO: TWeighted<"O" | "A" | "B" | "AB"> = [
  ["O", 44],
  ["A", 42],
  ["B", 10],
  ["AB", 4],
];
// Rough European-ancestry antigen frequencies (per cent of haplotypes), enough for realistic matching.
const HLA: Record<"A" | "B" | "C" | "DR" | "DQ", TWeighted<string>> = {
  A: [
    ["A1", 15],
    ["A2", 28],
    ["A3", 13],
    ["A11", 6],
    ["A24", 9],
    ["A26", 4],
    ["A29", 4],
    ["A30", 4],
    ["A31", 3],
    ["A32", 3],
    ["A33", 3],
    ["A68", 4],
    ["A23", 2],
    ["A25", 2],
  ],
  B: [
    ["B7", 12],
    ["B8", 10],
    ["B44", 13],
    ["B35", 9],
    ["B51", 6],
    ["B62", 5],
    ["B18", 5],
    ["B57", 4],
    ["B60", 4],
    ["B27", 4],
    ["B14", 3],
    ["B13", 3],
    ["B38", 3],
    ["B61", 2],
    ["B49", 2],
    ["B58", 2],
    ["B37", 2],
    ["B39", 2],
    ["B55", 2],
  ],
  C: [
    ["C7", 25],
    ["C4", 12],
    ["C3", 15],
    ["C6", 10],
    ["C5", 8],
    ["C1", 5],
    ["C2", 5],
    ["C8", 5],
    ["C12", 5],
    ["C15", 5],
    ["C16", 5],
  ],
  DR: [
    ["DR15", 15],
    ["DR4", 14],
    ["DR7", 13],
    ["DR17", 11],
    ["DR1", 10],
    ["DR11", 9],
    ["DR13", 12],
    ["DR14", 3],
    ["DR8", 3],
    ["DR16", 2],
    ["DR12", 2],
    ["DR9", 2],
    ["DR10", 1],
  ],
  DQ: [
    ["DQ6", 20],
    ["DQ5", 15],
    ["DQ7", 20],
    ["DQ2", 20],
    ["DQ8", 10],
    ["DQ9", 5],
    ["DQ4", 5],
  ],
};

/** Transplant centres: [code, lat, lon, region] (US) — synthetic ids, real-city coordinates. */
const US_CENTRES = [
  ["C-BOS", 42.336, -71.107, "1"],
  ["C-NYC", 40.764, -73.955, "9"],
  ["C-PHL", 39.95, -75.193, "2"],
  ["C-BAL", 39.297, -76.593, "2"],
  ["C-PIT", 40.443, -79.962, "2"],
  ["C-ATL", 33.792, -84.322, "3"],
  ["C-MIA", 25.79, -80.211, "3"],
  ["C-CLE", 41.502, -81.621, "10"],
  ["C-CHI", 41.895, -87.621, "7"],
  ["C-MSP", 44.972, -93.232, "7"],
  ["C-ROC", 44.022, -92.466, "7"],
  ["C-STL", 38.636, -90.265, "8"],
  ["C-HOU", 29.707, -95.401, "4"],
  ["C-DAL", 32.812, -96.84, "4"],
  ["C-DEN", 39.745, -104.838, "8"],
  ["C-PHX", 33.48, -112.047, "5"],
  ["C-LAX", 34.064, -118.446, "5"],
  ["C-SFO", 37.763, -122.458, "5"],
  ["C-SEA", 47.649, -122.309, "6"],
  ["C-NSH", 36.141, -86.8, "11"],
  ["C-DUR", 36.006, -78.937, "11"],
] as const;

/** Options for `generateSyntheticCandidates`. */
export type TSyntheticOptions = { n: number; seed: number; organ?: TOrganType; now?: Date };

const ORGAN_MIX: TWeighted<TOrganType> = [
  ["KIDNEY", 85],
  ["LIVER", 10],
  ["HEART", 3],
  ["LUNG", 2],
];
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * N synthetic waiting-list candidates with realistic distributions: ABO O 44 %, A 42 %, B 10 %,
 * AB 4 %; HLA from common antigens; cPRA mostly 0 with a long tail (and unacceptable antigens to
 * match); ages, sizes, listing and dialysis dates, organ-specific urgency. Same seed, same list.
 */
export function generateSyntheticCandidates(opts: TSyntheticOptions): TCandidate[] {
  const rand = seededRandom(opts.seed);
  const nowMs = (opts.now ?? new Date("2026-01-01T00:00:00Z")).getTime();
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const out: TCandidate[] = [];
  for (let i = 0; i < opts.n; i++) {
    const organ = opts.organ ?? pick(rand, ORGAN_MIX);
    const centre = US_CENTRES[Math.floor(rand() * US_CENTRES.length)] as (typeof US_CENTRES)[number];
    const child = rand() < 0.03;
    const age = child ? 1 + rand() * 16 : 18 + Math.min(57, Math.abs(normal()) * 25);
    const female = rand() < 0.4;
    const heightCm = child ? 75 + age * 6 : (female ? 162 : 176) + normal() * 7;
    const weightKg = child ? 10 + age * 3 : (female ? 70 : 85) + normal() * 14;
    const r = rand();
    const cpra =
      r < 0.65
        ? 0
        : r < 0.85
          ? 1 + Math.floor(rand() * 50)
          : r < 0.95
            ? 51 + Math.floor(rand() * 47)
            : 98 + Math.floor(rand() * 3);
    const unacceptable = new Set<string>();
    for (let k = cpra === 0 ? 0 : 1 + Math.floor(cpra / 12); k > 0; k--) {
      unacceptable.add(
        pick(
          rand,
          HLA[
            pick(rand, [
              ["A", 3],
              ["B", 4],
              ["DR", 2],
              ["DQ", 1],
            ] as const)
          ],
        ),
      );
    }
    const listedAtMs = nowMs - Math.floor(Math.abs(normal()) * 2.5 * 365 * DAY) - DAY;
    const onDialysis = organ === "KIDNEY" && rand() < 0.8;
    const two = (locus: keyof typeof HLA) => [...new Set([pick(rand, HLA[locus]), pick(rand, HLA[locus])])];
    const abo = pick(rand, ABO);
    out.push({
      id: `SYN-${opts.seed}-${String(i).padStart(7, "0")}`,
      centreId: centre[0],
      organ,
      status: rand() < 0.9 ? "ACTIVE" : "INACTIVE",
      abo,
      hla: { A: two("A"), B: two("B"), C: two("C"), DR: two("DR"), DQ: two("DQ"), DP: [] },
      unacceptable: [...unacceptable],
      cpra,
      listedAt: iso(listedAtMs),
      dialysisStartedAt: onDialysis ? iso(listedAtMs - Math.floor(rand() * 2 * 365 * DAY)) : null,
      dateOfBirth: iso(nowMs - age * 365.25 * DAY).slice(0, 10),
      sex: female ? "F" : "M",
      heightCm: round1(Math.min(210, Math.max(60, heightCm))),
      weightKg: round1(Math.min(180, Math.max(8, weightKg))),
      priorLivingDonor: rand() < 0.005,
      priorTransplants: rand() < 0.12 ? 1 : 0,
      diabetes: rand() < 0.3,
      urgency: {
        highUrgency: rand() < 0.01,
        ...(organ === "LIVER" && {
          liver: {
            female,
            bilirubinMgDl: round1(Math.exp(normal() * 1.0 + 0.7)),
            sodiumMmolL: Math.round(135 + normal() * 4),
            inr: round1(Math.min(6, Math.max(0.8, 1.3 + Math.abs(normal()) * 0.5))),
            creatinineMgDl: round1(Math.min(8, Math.max(0.4, 1 + normal() * 0.5))),
            albuminGDl: round1(Math.min(5, Math.max(1.2, 3.1 + normal() * 0.6))),
            dialysisTwiceInPastWeek: rand() < 0.04,
          },
        }),
        ...(organ === "HEART" && {
          heartStatus: pick(rand, [
            [1, 5],
            [2, 15],
            [3, 20],
            [4, 30],
            [5, 5],
            [6, 25],
          ] as const),
        }),
        ...(organ === "LUNG" && { lungUrgency: round1(Math.min(100, Math.max(0, 35 + normal() * 15))) }),
      },
      location: { lat: centre[1], lon: centre[2] },
      country: "US",
      region: centre[3],
      a2TitreEligible: abo === "B" && rand() < 0.3,
    });
  }
  return out;
}

/** A synthetic donor (a 45-year-old DBD head-trauma donor in Chicago unless overridden). */
export function syntheticDonor(overrides: Partial<TDonor> = {}): TDonor {
  return {
    id: "SYN-DONOR-1",
    abo: "O",
    hla: { A: ["A2", "A24"], B: ["B44", "B8"], C: ["C7"], DR: ["DR15", "DR4"], DQ: ["DQ6", "DQ8"], DP: [] },
    ageYears: 45,
    heightCm: 175,
    weightKg: 80,
    sex: "M",
    causeOfDeath: "HEAD_TRAUMA",
    dcd: false,
    hypertension: false,
    diabetes: false,
    creatinineMgDl: 1.0,
    hcv: false,
    hbv: false,
    hiv: false,
    location: { lat: 41.88, lon: -87.63 },
    country: "US",
    region: "7",
    ...overrides,
  };
}

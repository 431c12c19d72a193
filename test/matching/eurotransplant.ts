import { syntheticDonor } from "@/prisma/synthetic";
import { parseCandidate, type TCandidateInput } from "@/server/matching/engine/prepare-candidate";
import { prepareDonor, type TDonor } from "@/server/matching/engine/prepare-donor";
import { rankCandidates, type TMatchResult } from "@/server/matching/engine/rank-candidates";
import { findAllocationPolicy } from "@/server/matching/policies";

/** Evaluation date of the Eurotransplant tables of cases. */
export const ET_NOW = new Date("2026-01-01T00:00:00Z");
const consent = { organs: ["KIDNEYS"], purposes: ["TRANSPLANT"] };
const YEAR_DAYS = 365.25;

/** Years from `iso` to ET_NOW, as the engine counts them (365.25-day years). */
export const yearsTo = (iso: string) => (ET_NOW.getTime() - Date.parse(iso)) / (YEAR_DAYS * 86_400_000);

/**
 * A Netherlands kidney candidate, 50 years old, blood group A, typed A1 A3 / B7 B35 / DR15 DR4,
 * screened a month ago, on dialysis since 2024-01-01; cPRA 100 with no unacceptable antigen on
 * record makes the 1994 mismatch probability exactly 100 (a sure "no suitable donor"), so point
 * tables can be worked by hand.
 */
export const etCandidate = (o: Partial<TCandidateInput> & { id: string }) =>
  parseCandidate({
    centreId: "NAMTP",
    organ: "KIDNEY",
    status: "ACTIVE",
    abo: "A",
    hla: { A: ["A1", "A3"], B: ["B7", "B35"], DR: ["DR15", "DR4"] },
    unacceptable: [],
    cpra: 100,
    listedAt: "2024-01-01T00:00:00Z",
    dialysisStartedAt: "2024-01-01T00:00:00Z",
    dateOfBirth: "1976-01-01",
    sex: "F",
    heightCm: 170,
    weightKg: 70,
    location: { lat: 52.37, lon: 4.9 },
    country: "NL",
    region: "NL",
    antibodyScreenedAt: "2025-12-01T00:00:00Z",
    ...o,
  });

/**
 * A Netherlands donor of 45, blood group A, typed A1 A2 / B7 B8 / DR15 DR17: against the default
 * candidate one mismatch at each of A (A2), B (B8) and DR (DR17, read as DR3).
 */
export const etDonor = (o: Partial<TDonor> = {}) =>
  prepareDonor(
    syntheticDonor({
      abo: "A",
      hla: { A: ["A1", "A2"], B: ["B7", "B8"], C: [], DR: ["DR15", "DR17"], DQ: [], DP: [] },
      ageYears: 45,
      country: "NL",
      region: "NL",
      location: { lat: 52.09, lon: 5.12 },
      ...o,
    }),
  );

/** Ranks under a shipped policy at ET_NOW. */
export function etRank(
  policyId: string,
  donor: ReturnType<typeof etDonor>,
  candidates: ReturnType<typeof etCandidate>[],
): TMatchResult {
  const policy = findAllocationPolicy(policyId);
  if (!policy) throw new Error(policyId);
  return rankCandidates({ donor, organ: "KIDNEY", candidates, policy, now: ET_NOW, consent });
}

/** A ranked row's points by breakdown group (rounding included), and its score. */
export function pointsOf(r: TMatchResult, id: string) {
  const row = r.ranked.find((x) => x.candidateId === id);
  if (!row)
    throw new Error(`${id} not ranked: ${JSON.stringify(r.excluded.find((x) => x.candidateId === id))}`);
  const by: Record<string, number> = {};
  for (const b of row.breakdown) by[b.attribute] = (by[b.attribute] ?? 0) + b.points;
  return { by, score: row.score, tier: row.tier?.id ?? null };
}

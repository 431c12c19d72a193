import { z } from "zod";

/** Donor blood groups, with the A1/A2 subtype where typed. */
export const DONOR_ABO = ["O", "A", "A1", "A2", "B", "AB", "A1B", "A2B"] as const;
export type TDonorAbo = (typeof DONOR_ABO)[number];
export const ZDonorAboSchema = z.enum(DONOR_ABO, { error: `must be one of ${DONOR_ABO.join(", ")}` });

/** Candidate blood groups. */
export const CANDIDATE_ABO = ["O", "A", "B", "AB"] as const;
export type TCandidateAbo = (typeof CANDIDATE_ABO)[number];
export const ZCandidateAboSchema = z.enum(CANDIDATE_ABO, {
  error: `must be one of ${CANDIDATE_ABO.join(", ")}`,
});

/** The donor group without subtype. */
export function baseAbo(donor: TDonorAbo): TCandidateAbo {
  if (donor === "A1" || donor === "A2") return "A";
  if (donor === "A1B" || donor === "A2B") return "AB";
  return donor;
}

const RECEIVES: Record<TCandidateAbo, readonly TCandidateAbo[]> = {
  O: ["O"],
  A: ["O", "A"],
  B: ["O", "B"],
  AB: ["O", "A", "B", "AB"],
};

/** Red-cell compatibility: O → all, A → A/AB, B → B/AB, AB → AB. */
export function aboRelation(
  donor: TDonorAbo,
  candidate: TCandidateAbo,
): "IDENTICAL" | "COMPATIBLE" | "INCOMPATIBLE" {
  const d = baseAbo(donor);
  if (d === candidate) return "IDENTICAL";
  return RECEIVES[candidate].includes(d) ? "COMPATIBLE" : "INCOMPATIBLE";
}

/** ABO rules of one organ policy (versioned data). */
export const ZAboRulesSchema = z.object({
  /** Donor groups kept for identical-type candidates (kidney: O and B). */
  identicalOnlyDonorGroups: z.array(ZCandidateAboSchema),
  /** Who may still receive such a donor's organ across groups (compatible, never incompatible). */
  identicalOnlyExceptions: z.object({
    zeroMismatch: z.boolean(),
    minCpra: z.number().min(0).max(100).nullable(),
  }),
  /** A2/A2B donors to B candidates whose anti-A titre is recorded as eligible. */
  a2ToB: z.boolean(),
  /** Rank identical-group candidates ahead of compatible ones within a tier (liver, thoracic). */
  identicalFirst: z.boolean(),
  /** ABO-incompatible offers permitted for urgent and/or young paediatric candidates. */
  incompatible: z.object({
    urgent: z.boolean(),
    paediatricMaxAgeYears: z.number().min(0).max(18).nullable(),
  }),
});
export type TAboRules = z.infer<typeof ZAboRulesSchema>;

export type TAboMatch = "IDENTICAL" | "COMPATIBLE" | "A2_TO_B" | "INCOMPATIBLE_PERMITTED";
export type TAboDecision =
  | {
      eligible: true;
      match: TAboMatch /** 0 identical, 1 compatible, 2 incompatible but permitted. */;
      rank: 0 | 1 | 2;
    }
  | { eligible: false; code: "ABO_INCOMPATIBLE" | "ABO_IDENTICAL_ONLY" | "ABO_A2_TITRE"; message: string };

export type TAboCandidateFacts = {
  abo: TCandidateAbo;
  zeroMismatch: boolean;
  cpra: number;
  a2TitreEligible: boolean;
  urgent: boolean;
  ageYears: number;
};

const OK: Record<TAboMatch, TAboDecision> = {
  IDENTICAL: { eligible: true, match: "IDENTICAL", rank: 0 },
  COMPATIBLE: { eligible: true, match: "COMPATIBLE", rank: 1 },
  A2_TO_B: { eligible: true, match: "A2_TO_B", rank: 1 },
  INCOMPATIBLE_PERMITTED: { eligible: true, match: "INCOMPATIBLE_PERMITTED", rank: 2 },
};

type TRefusalCode = "ABO_INCOMPATIBLE" | "ABO_IDENTICAL_ONLY" | "ABO_A2_TITRE";
const REFUSAL_MESSAGE: Record<TRefusalCode, (donor: TDonorAbo, c: TCandidateAbo) => string> = {
  ABO_IDENTICAL_ONLY: (donor, c) =>
    `Group ${baseAbo(donor)} organs go to group ${baseAbo(donor)} candidates only, unless the candidate is a zero-antigen mismatch or very highly sensitised (this candidate is group ${c}).`,
  ABO_A2_TITRE: (donor) =>
    `A ${donor} organ may go to a group B candidate only with an eligible anti-A titre on record.`,
  ABO_INCOMPATIBLE: (donor, c) => `Donor group ${donor} is incompatible with candidate group ${c}.`,
};
/** Every refusal, built once: each depends only on the rule and the two groups. */
const REFUSALS = Object.fromEntries(
  (Object.keys(REFUSAL_MESSAGE) as TRefusalCode[]).map((code) => [
    code,
    Object.fromEntries(
      DONOR_ABO.map((donor) => [
        donor,
        Object.fromEntries(
          CANDIDATE_ABO.map((c) => [c, { eligible: false, code, message: REFUSAL_MESSAGE[code](donor, c) }]),
        ),
      ]),
    ),
  ]),
) as Record<TRefusalCode, Record<TDonorAbo, Record<TCandidateAbo, TAboDecision>>>;

const refuse = (code: TRefusalCode, donor: TDonorAbo, c: TCandidateAbo) => REFUSALS[code][donor][c];

export type TAboRefusal = Extract<TAboDecision, { eligible: false }>;

/**
 * Per candidate group, the refusal `aboEligibility` gives every candidate of that group whatever
 * else is on their record (an incompatible group the policy never permits, or a compatible one
 * where the donor's group goes to identical groups only, without exceptions), or null where it
 * depends on the candidate. A match run reads this first and skips the rest of such candidates.
 */
export function aboGroupRefusals(
  donorAbo: TDonorAbo,
  rules: TAboRules,
): Record<TCandidateAbo, TAboRefusal | null> {
  const permitsIncompatible = rules.incompatible.urgent || rules.incompatible.paediatricMaxAgeYears !== null;
  const ex = rules.identicalOnlyExceptions;
  const identicalOnly =
    rules.identicalOnlyDonorGroups.includes(baseAbo(donorAbo)) && !ex.zeroMismatch && ex.minCpra === null;
  const entries = CANDIDATE_ABO.map((g) => {
    const a2ToB = (donorAbo === "A2" || donorAbo === "A2B") && g === "B" && rules.a2ToB;
    const relation = aboRelation(donorAbo, g);
    const refused = relation === "INCOMPATIBLE" && !a2ToB && !permitsIncompatible;
    if (refused) return [g, refuse("ABO_INCOMPATIBLE", donorAbo, g) as TAboRefusal] as const;
    // Identical only, without exceptions: a compatible group is refused whatever the candidate's record.
    if (relation === "COMPATIBLE" && identicalOnly)
      return [g, refuse("ABO_IDENTICAL_ONLY", donorAbo, g) as TAboRefusal] as const;
    return [g, null] as const;
  });
  return Object.fromEntries(entries) as Record<TCandidateAbo, TAboRefusal | null>;
}

/**
 * Whether a candidate may receive this donor's organ under the policy's ABO rules, and how well
 * matched (for identical-first ordering). Results are shared constants: the hot loop allocates nothing.
 */
export function aboEligibility(donorAbo: TDonorAbo, c: TAboCandidateFacts, rules: TAboRules): TAboDecision {
  const relation = aboRelation(donorAbo, c.abo);
  const donorGroup = baseAbo(donorAbo);
  if (relation === "IDENTICAL") return OK.IDENTICAL;
  if (relation === "COMPATIBLE") {
    if (!rules.identicalOnlyDonorGroups.includes(donorGroup)) return OK.COMPATIBLE;
    const ex = rules.identicalOnlyExceptions;
    if ((ex.zeroMismatch && c.zeroMismatch) || (ex.minCpra !== null && c.cpra >= ex.minCpra))
      return OK.COMPATIBLE;
    return refuse("ABO_IDENTICAL_ONLY", donorAbo, c.abo);
  }
  if ((donorAbo === "A2" || donorAbo === "A2B") && c.abo === "B" && rules.a2ToB) {
    if (c.a2TitreEligible) return OK.A2_TO_B;
    return refuse("ABO_A2_TITRE", donorAbo, c.abo);
  }
  const inc = rules.incompatible;
  const paediatric = inc.paediatricMaxAgeYears !== null && c.ageYears < inc.paediatricMaxAgeYears;
  if ((inc.urgent && c.urgent) || paediatric) return OK.INCOMPATIBLE_PERMITTED;
  return refuse("ABO_INCOMPATIBLE", donorAbo, c.abo);
}

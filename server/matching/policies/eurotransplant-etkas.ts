import {
  ESP_AGE,
  ET_COUNTRIES,
  ET_DCD_COUNTRIES,
  ET_HLA_COUNTING,
  ET_MMP_TABLES,
  ET_POINTS_PER_DIALYSIS_YEAR,
  ET_REGIONAL_BALANCE_COUNTRIES,
  ET_REGIONAL_COUNTRIES,
  ET_RETURNED_DIALYSIS,
  ET_SCREENING_VALID_DAYS,
} from "./eurotransplant-tables";
import type { TAllocationPolicyInput, TCondition } from "./policy-schema";

const HLA_MISMATCH = -66.66666;
const HLA_MISMATCH_DR = -66.66667;

/** Filters ETKAS and ESP share (the simulator's match-list selection). */
export const ET_ELIGIBILITY: TAllocationPolicyInput["eligibility"] = [
  {
    id: "acceptable-mismatch-programme",
    message: "In the acceptable-mismatch programme: offered there, not in ETKAS or ESP.",
    when: [{ attribute: "acceptableMismatchProgramme", op: "eq", value: 1 }],
  },
  {
    id: "antibody-screening",
    message: `The latest antibody screening is older than ${ET_SCREENING_VALID_DAYS} days.`,
    when: [{ attribute: "antibodyScreeningAgeDays", op: "gt", value: ET_SCREENING_VALID_DAYS }],
  },
  {
    id: "dcd-country",
    message: `Kidneys from DCD donors go only to countries that accept them (${ET_DCD_COUNTRIES.join(", ")}).`,
    when: [
      { donor: "dcd", op: "eq", value: 1 },
      { text: "candidate.country", notIn: ET_DCD_COUNTRIES },
    ],
  },
];

/** Blood group identical for every donor group, no exception (ETKAS and ESP). */
export const ET_ABO = {
  identicalOnlyDonorGroups: ["O", "A", "B", "AB"],
  identicalOnlyExceptions: { zeroMismatch: false, minCpra: null },
  a2ToB: false,
  identicalFirst: false,
  incompatible: { urgent: false, paediatricMaxAgeYears: null },
} satisfies TAllocationPolicyInput["filters"]["abo"];

const zeroMismatch = (level: number): TCondition[] => [
  { attribute: "zeroMismatch", op: "eq", value: 1 },
  { attribute: "homozygosityLevel", op: "eq", value: level },
];

/**
 * Eurotransplant Kidney Allocation System (donors under 65) as the ETKidney simulator encodes the
 * rules in force from 2021 (CurrentETKAS_actual.yml, ETKAS_match_tiers.yml, MatchListETKASandESP.py).
 */
export const EUROTRANSPLANT_ETKAS_V1: TAllocationPolicyInput = {
  id: "eurotransplant-etkas",
  version: 1,
  organ: "KIDNEY",
  label: "Eurotransplant ETKAS (donors under 65)",
  notes:
    "Blood group identical. Tiers: zero A/B/DR mismatch (A, B broad; DR split, DR17/DR18 as DR3), sub-ordered by the candidate's homozygosity when the donor is homozygous; then paediatric donor to paediatric candidate; then the rest. Points: HLA 400 − 66.67 per mismatch (doubled for paediatric candidates), 33.33 per year on dialysis plus returned dialysis time, mismatch probability (1994 formula), 30 × national balance, regional balance (Austria), local 300 / national 100 (local is the region in AT, BE, DE, the country elsewhere), paediatric 100 (under 18, or listed under 18 outside Germany), high urgency 500; rounded. Ties: fewer mismatches, then longer on dialysis. Excluded: acceptable-mismatch programme, no antibody screening within 90 days, German candidates of 65+ who chose ESP, DCD donors to countries that do not accept them.",
  filters: {
    abo: ET_ABO,
    virtualCrossmatch: true,
    size: { weightRatio: null, heightRatio: null },
    maxDistanceNm: null,
    requiredAttributes: ["antibodyScreeningAgeDays"],
  },
  tiers: [
    { id: "D3", label: "Zero mismatch, candidate homozygous at A, B and DR", when: zeroMismatch(3) },
    { id: "D2", label: "Zero mismatch, candidate homozygous at two loci", when: zeroMismatch(2) },
    { id: "D1", label: "Zero mismatch, candidate homozygous at one locus", when: zeroMismatch(1) },
    { id: "D0", label: "Zero mismatch", when: zeroMismatch(0) },
    {
      id: "C",
      label: "Paediatric donor to paediatric candidate",
      when: [{ attribute: "paediatric", op: "eq", value: 1 }],
      donorWhen: [{ field: "ageYears", op: "lt", value: 18 }],
    },
  ],
  weights: {},
  points: [
    { group: "hla", coefficient: 400 },
    { group: "hla", coefficient: HLA_MISMATCH, attributes: ["hlaMismatchesA"] },
    { group: "hla", coefficient: HLA_MISMATCH, attributes: ["hlaMismatchesB"] },
    { group: "hla", coefficient: HLA_MISMATCH_DR, attributes: ["hlaMismatchesDR"] },
    { group: "hla-paediatric", coefficient: 400, attributes: ["paediatric"] },
    { group: "hla-paediatric", coefficient: HLA_MISMATCH, attributes: ["hlaMismatchesA", "paediatric"] },
    { group: "hla-paediatric", coefficient: HLA_MISMATCH, attributes: ["hlaMismatchesB", "paediatric"] },
    { group: "hla-paediatric", coefficient: HLA_MISMATCH_DR, attributes: ["hlaMismatchesDR", "paediatric"] },
    { group: "dialysis", coefficient: ET_POINTS_PER_DIALYSIS_YEAR, attributes: ["dialysisYears"] },
    { group: "dialysis", coefficient: ET_POINTS_PER_DIALYSIS_YEAR, attributes: ["returnedDialysisYears"] },
    { group: "mismatch-probability", coefficient: 1, attributes: ["etMismatchProbability"] },
    { group: "national-balance", coefficient: 30, attributes: ["nationalBalance"] },
    { group: "regional-balance", coefficient: 1, attributes: ["regionalBalance"] },
    { group: "distance", coefficient: 300, attributes: ["isLocal"] },
    { group: "distance", coefficient: 100, attributes: ["isNational"] },
    { group: "paediatric", coefficient: 100, attributes: ["paediatric"] },
    { group: "high-urgency", coefficient: 500, attributes: ["highUrgency"] },
  ],
  roundScore: true,
  eligibility: [
    ...(ET_ELIGIBILITY ?? []),
    {
      id: "german-esp-choice",
      message: `German candidates of ${ESP_AGE} and over who chose ESP are not allocated in ETKAS.`,
      when: [
        { text: "candidate.country", in: ["DE"] },
        { attribute: "ageYears", op: "gte", value: ESP_AGE },
        { text: "candidate.kidneyProgramme", in: ["ESP"] },
      ],
    },
  ],
  order: [
    { by: "score", first: "higher" },
    { by: "hlaMismatches", first: "lower" },
    { by: "dialysisYears", first: "higher" },
  ],
  hla: ET_HLA_COUNTING,
  mismatchProbability: ET_MMP_TABLES,
  paediatric: { ageYears: 18, listedUnderAgeExceptCountries: ["DE"] },
  regionalCountries: ET_REGIONAL_COUNTRIES,
  returnedDialysis: ET_RETURNED_DIALYSIS,
  balance: { countries: [...ET_COUNTRIES], regionalCountries: ET_REGIONAL_BALANCE_COUNTRIES },
  offerMode: "sequential",
  responseMinutes: 60,
};

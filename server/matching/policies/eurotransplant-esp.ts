import { ET_ABO, ET_ELIGIBILITY } from "./eurotransplant-etkas";
import { ESP_AGE, ET_POINTS_PER_DIALYSIS_YEAR, ET_RETURNED_DIALYSIS } from "./eurotransplant-tables";
import { ESP_LOCATION, type TAllocationPolicyInput, type TCondition } from "./policy-schema";

type TEspRule = {
  tier: "A" | "B" | "C" | "D" | "E" | "F" | "G" | "H" | "I";
  label: string;
  when: TCondition[];
};

const under65: TCondition = { attribute: "ageYears", op: "lt", value: ESP_AGE };
const at = (where: keyof typeof ESP_LOCATION): TCondition => ({
  attribute: "espLocation",
  op: "eq",
  value: ESP_LOCATION[where],
});
const lsr: TCondition = { attribute: "espLocalRegionalOrSubregional", op: "eq", value: 1 };
const abroad: TCondition = { attribute: "isInternational", op: "eq", value: 1 };
const choseEsp: TCondition = { text: "candidate.kidneyProgramme", in: ["ESP"] };

/** The three tiers every country starts with: candidates under 65 (extended ESP), never offered here. */
const YOUNGER = (firstAbroad: TCondition): TEspRule[] => [
  { tier: "I", label: "Under 65, abroad", when: [under65, firstAbroad] },
  { tier: "E", label: "Under 65, local, regional or subregional", when: [under65, lsr] },
  { tier: "G", label: "Under 65", when: [under65] },
];

/**
 * The 2021 ESP match tiers per donor country (2021_ESP_match_tiers.yml), tried in order; the
 * letter orders them (A first) and only A–D are offered in standard allocation (FMR_TIERS_ESP).
 */
const ESP_TIERS: Record<string, TEspRule[]> = {
  AT: [
    ...YOUNGER(at("A")),
    { tier: "A", label: "Same centre", when: [at("L")] },
    { tier: "F", label: "Elsewhere in Austria", when: [at("H")] },
    { tier: "H", label: "Abroad", when: [at("A")] },
  ],
  BE: [
    ...YOUNGER(at("A")),
    { tier: "A", label: "Same centre", when: [at("L")] },
    { tier: "D", label: "Same region", when: [at("R")] },
    { tier: "D", label: "Elsewhere in Belgium", when: [at("H")] },
    { tier: "H", label: "Abroad", when: [at("A")] },
  ],
  HR: [
    ...YOUNGER(abroad),
    { tier: "D", label: "In Croatia", when: [at("H")] },
    { tier: "H", label: "Abroad", when: [at("A")] },
  ],
  DE: [
    ...YOUNGER(at("A")),
    { tier: "B", label: "Chose ESP, same ESP subregion", when: [choseEsp, at("S")] },
    { tier: "C", label: "Chose ESP, same region", when: [choseEsp, at("R")] },
    { tier: "E", label: "Did not choose ESP, subregion or region", when: [lsr] },
    { tier: "F", label: "Elsewhere in Germany", when: [at("H")] },
    { tier: "H", label: "Abroad", when: [at("A")] },
  ],
  HU: [
    ...YOUNGER(abroad),
    { tier: "B", label: "Same ESP subregion", when: [at("S")] },
    { tier: "D", label: "Elsewhere in Hungary", when: [at("H")] },
    { tier: "H", label: "Abroad", when: [at("A")] },
  ],
  NL: [
    ...YOUNGER(abroad),
    { tier: "D", label: "In the Netherlands", when: [at("H")] },
    { tier: "H", label: "Abroad", when: [at("A")] },
  ],
  SI: [
    ...YOUNGER(abroad),
    { tier: "D", label: "In Slovenia", when: [at("H")] },
    { tier: "H", label: "Abroad", when: [at("A")] },
  ],
};

const LETTERS = "ABCDEFGHI";

/**
 * Eurotransplant Senior Program (donors of 65 and over) as the ETKidney simulator encodes it:
 * candidates of 65 and over, the donor country's tiers, dialysis points only, high urgency first
 * within a tier, tiers A–D offered in standard allocation.
 */
export const EUROTRANSPLANT_ESP_V1: TAllocationPolicyInput = {
  id: "eurotransplant-esp",
  version: 1,
  organ: "KIDNEY",
  label: "Eurotransplant Senior Program (donors 65 and over)",
  notes:
    "Candidates of 65 and over, blood group identical. The donor country's ESP tiers (Austria: same centre A; Belgium: same centre A, rest D; Germany: chose ESP and same ESP subregion B, same region C; Hungary: same subregion B, rest D; Croatia, Netherlands, Slovenia: national D); only tiers A–D are offered in standard allocation. Within a tier: high urgency first, then 33.33 points per year on dialysis (returned dialysis time included), rounded. Excluded as in ETKAS: acceptable-mismatch programme, no valid antibody screening, DCD donors to countries that do not accept them. 'Same centre' needs the donor's allocation centre, 'ESP subregion' the centres' subregions.",
  filters: {
    abo: ET_ABO,
    virtualCrossmatch: true,
    size: { weightRatio: null, heightRatio: null },
    maxDistanceNm: null,
    requiredAttributes: ["antibodyScreeningAgeDays"],
  },
  tiers: Object.entries(ESP_TIERS).flatMap(([country, rules]) =>
    rules.map((r, i) => ({
      id: `${country}-${r.tier}${i + 1}`,
      label: `ESP tier ${r.tier} (${country}): ${r.label}`,
      when: [{ text: "donor.country" as const, in: [country] }, ...r.when],
      rank: LETTERS.indexOf(r.tier),
      offered: LETTERS.indexOf(r.tier) <= LETTERS.indexOf("D"),
    })),
  ),
  weights: {},
  points: [
    { group: "dialysis", coefficient: ET_POINTS_PER_DIALYSIS_YEAR, attributes: ["dialysisYears"] },
    { group: "dialysis", coefficient: ET_POINTS_PER_DIALYSIS_YEAR, attributes: ["returnedDialysisYears"] },
  ],
  roundScore: true,
  eligibility: [
    {
      id: "esp-age",
      message: `ESP allocates to candidates of ${ESP_AGE} and over.`,
      when: [under65],
    },
    ...(ET_ELIGIBILITY ?? []),
  ],
  order: [
    { by: "highUrgency", first: "higher" },
    { by: "score", first: "higher" },
  ],
  returnedDialysis: ET_RETURNED_DIALYSIS,
  espGeography: {
    sameCentreCountries: ["AT", "BE"],
    subregionCountries: ["DE", "HU"],
    regionCountries: ["DE"],
  },
  offerMode: "sequential",
  responseMinutes: 60,
};

import { z } from "zod";
import { ZOrganTypeSchema } from "../organ-type";
import { ZAboRulesSchema } from "../rules/abo-compatibility";

/**
 * Candidate attributes the engine can compute; a policy weighs or tiers on any of them by name.
 * Raw units: meld 6–40; heartStatus 1–6 (1 most urgent); lungUrgency 0–100; eptsPercent 0–100
 * (lower = longer expected survival); cpra and mismatchProbability 0–100; years; nautical miles;
 * flags 0/1. The Eurotransplant terms: mismatches per locus counted as the policy's `hla` says;
 * `homozygosityLevel` 0–3 (loci where the candidate carries one antigen, when the donor is
 * homozygous at A, B and DR and the pair is a zero mismatch; else 0); balances are points from the
 * run's balance input; `espLocation` one of ESP_LOCATION; `antibodyScreeningAgeDays` NaN when the
 * candidate has no screening on record.
 */
export const ALLOCATION_ATTRIBUTES = [
  "meld",
  "heartStatus",
  "lungUrgency",
  "highUrgency",
  "eptsPercent",
  "cpra",
  "mismatchProbability",
  "aboIdentical",
  "hlaMismatches",
  "zeroMismatch",
  "waitingYears",
  "dialysisYears",
  "paediatric",
  "priorLivingDonor",
  "distanceNm",
  "isLocal",
  "isNational",
  // Eurotransplant terms (policy-schema v2 features; older policies never read them).
  "ageYears",
  "hlaMismatchesA",
  "hlaMismatchesB",
  "hlaMismatchesDR",
  "homozygosityLevel",
  "isInternational",
  "returnedDialysisYears",
  "nationalBalance",
  "regionalBalance",
  "etMismatchProbability",
  "espLocation",
  "espLocalRegionalOrSubregional",
  "choseEsp",
  "acceptableMismatchProgramme",
  "antibodyScreeningAgeDays",
] as const;
export type TAllocationAttribute = (typeof ALLOCATION_ATTRIBUTES)[number];
export const ZAllocationAttributeSchema = z.enum(ALLOCATION_ATTRIBUTES);

/** Continuous-distribution goal an attribute serves (for the "why here" display). */
export const ATTRIBUTE_GROUPS = ["urgency", "survival", "biology", "access", "placement"] as const;

const ZOpSchema = z.enum(["eq", "lt", "lte", "gt", "gte"]);
export type TComparison = z.infer<typeof ZOpSchema>;

/**
 * One weighted attribute: normalised = clamp((raw − min) / (max − min), 0, 1), inverted when lower
 * raw values deserve more points; points = weight × normalised.
 */
export const ZAttributeWeightSchema = z
  .object({
    weight: z.number().min(0),
    min: z.number(),
    max: z.number(),
    invert: z.boolean().default(false),
    group: z.enum(ATTRIBUTE_GROUPS),
  })
  .refine((w) => w.max > w.min, "max must be above min");

export const ZTierConditionSchema = z.object({
  attribute: ZAllocationAttributeSchema,
  op: ZOpSchema,
  value: z.number(),
});
export const ZDonorConditionSchema = z.object({
  field: z.enum(["kdpi", "ageYears"]),
  op: ZOpSchema,
  value: z.number(),
});

/** ESP geography of a pair, most local first (the `espLocation` attribute). */
export const ESP_LOCATION = { L: 1, S: 2, R: 3, H: 4, A: 5 } as const;

/** Text fields a condition may test for membership (countries as ISO 3166 alpha-2). */
export const TEXT_FIELDS = ["candidate.country", "donor.country", "candidate.kidneyProgramme"] as const;
export type TTextField = (typeof TEXT_FIELDS)[number];

/**
 * One test of a tier or eligibility rule: a pair attribute compared with a number, a donor fact
 * compared with a number (decided once per run), or a text field in (or not in) a list.
 */
export const ZConditionSchema = z.union([
  ZTierConditionSchema,
  z.object({ donor: z.enum(["kdpi", "ageYears", "dcd"]), op: ZOpSchema, value: z.number() }),
  z.object({ text: z.enum(TEXT_FIELDS), in: z.array(z.string()).min(1) }),
  z.object({ text: z.enum(TEXT_FIELDS), notIn: z.array(z.string()).min(1) }),
]);
export type TCondition = z.infer<typeof ZConditionSchema>;

/**
 * A hard tier: candidates meeting all of `when` (for donors meeting `donorWhen`) rank above later
 * tiers. Tiers are tried in order and the first that holds is the candidate's; `rank` orders them
 * when that differs from the order they are tried in (lower first, e.g. ESP's A–I); a tier with
 * `offered: false` excludes its candidates from the ranking (ESP tiers E–I).
 */
export const ZTierSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  when: z.array(ZConditionSchema).min(1),
  donorWhen: z.array(ZDonorConditionSchema).default([]),
  rank: z.number().int().optional(),
  offered: z.boolean().default(true),
});

/**
 * A linear points term, as the Eurotransplant simulator writes its points: `coefficient` times the
 * product of the attributes (none: a constant). An interaction is a term over two attributes, e.g.
 * HLA points doubled for paediatric candidates is `−66.67 × hlaMismatchesA × paediatric`.
 */
export const ZPointTermSchema = z.object({
  group: z.string().min(1),
  coefficient: z.number(),
  attributes: z.array(ZAllocationAttributeSchema).max(3).default([]),
});
export type TPointTerm = z.infer<typeof ZPointTermSchema>;

/** A candidate meeting all of `when` is excluded, with `message` (an eligibility filter as data). */
export const ZEligibilityRuleSchema = z.object({
  id: z.string().min(1),
  message: z.string().min(1),
  when: z.array(ZConditionSchema).min(1),
});

/** How HLA-A, -B and -DR mismatches are counted (absent: at the typed level, as antigens relate). */
export const ZHlaCountingSchema = z.object({
  /** Per locus: compare broad antigens, or splits (a broad typed without split matches its splits). */
  levels: z.object({
    A: z.enum(["broad", "split"]),
    B: z.enum(["broad", "split"]),
    DR: z.enum(["broad", "split"]),
  }),
  /** Antigens read as another before counting (DR17/DR18 as DR3, associated antigens as their split). */
  sameAs: z.record(z.string(), z.string()),
});
export type THlaCounting = z.infer<typeof ZHlaCountingSchema>;

/** Eurotransplant's 1994 mismatch probability: antigen and blood-group frequencies, donors counted. */
export const ZMismatchProbabilitySchema = z.object({
  hlaFrequencies: z.object({
    A: z.record(z.string(), z.number().min(0).max(1)),
    B: z.record(z.string(), z.number().min(0).max(1)),
    DR: z.record(z.string(), z.number().min(0).max(1)),
  }),
  /** Frequency used for an antigen the table lacks. */
  unknownFrequency: z.number().min(0).max(1),
  bloodGroupFrequencies: z.object({ O: z.number(), A: z.number(), B: z.number(), AB: z.number() }),
  donors: z.number().int().positive(),
});
export type TMismatchProbabilityTables = z.infer<typeof ZMismatchProbabilitySchema>;

/** An ordering key after the tier: the score or an attribute, higher or lower first. */
export const ZOrderKeySchema = z.union([
  z.object({ by: z.literal("score"), first: z.enum(["higher", "lower"]) }),
  z.object({ by: ZAllocationAttributeSchema, first: z.enum(["higher", "lower"]) }),
]);

const ZRatioRangeSchema = z
  .object({ min: z.number().positive(), max: z.number().positive() })
  .refine((r) => r.max >= r.min, "max must not be below min");

/** A versioned allocation policy: data, not code. A match run records `id` and `version`. */
export const ZAllocationPolicySchema = z
  .object({
    id: z.string().min(1),
    version: z.number().int().positive(),
    organ: ZOrganTypeSchema,
    label: z.string().min(1),
    /** What the policy models and where it simplifies. */
    notes: z.string(),
    filters: z.object({
      abo: ZAboRulesSchema,
      virtualCrossmatch: z.boolean(),
      /** Donor ÷ candidate size ratios, where size matters (thoracic organs). */
      size: z.object({
        weightRatio: ZRatioRangeSchema.nullable(),
        heightRatio: ZRatioRangeSchema.nullable(),
      }),
      maxDistanceNm: z.number().positive().nullable(),
      /** Attributes a candidate must have on record (e.g. MELD labs for liver). */
      requiredAttributes: z.array(ZAllocationAttributeSchema).default([]),
    }),
    tiers: z.array(ZTierSchema),
    weights: z.partialRecord(ZAllocationAttributeSchema, ZAttributeWeightSchema),
    /** Linear points terms with interactions, added to the weighted attributes. */
    points: z.array(ZPointTermSchema).default([]),
    /** Round the total to a whole number, half up (Eurotransplant's points are integers). */
    roundScore: z.boolean().default(false),
    /** Filters beyond the standard ones, each excluding with its own message. */
    eligibility: z.array(ZEligibilityRuleSchema).default([]),
    /** Within a tier: these keys, then listing date and id. Default: the score, higher first. */
    order: z.array(ZOrderKeySchema).default([{ by: "score", first: "higher" }]),
    hla: ZHlaCountingSchema.optional(),
    mismatchProbability: ZMismatchProbabilitySchema.optional(),
    /** Who counts as paediatric: under `ageYears` now, or listed under it outside `listedExceptCountries`. */
    paediatric: z
      .object({ ageYears: z.number(), listedUnderAgeExceptCountries: z.array(z.string()).nullable() })
      .default({ ageYears: 18, listedUnderAgeExceptCountries: null }),
    /** Countries where "local" is the donor's region; elsewhere the whole country is local. Absent: everywhere the region. */
    regionalCountries: z.array(z.string()).optional(),
    /**
     * ESP's geography (`espLocation`): the same centre is local where the country says so, then the
     * same ESP subregion, then the same region, then the rest of the country, then abroad.
     */
    espGeography: z
      .object({
        sameCentreCountries: z.array(z.string()),
        subregionCountries: z.array(z.string()),
        regionCountries: z.array(z.string()),
      })
      .optional(),
    /** Share of the dialysis time accrued before a failed transplant returned, by days to resuming dialysis. */
    returnedDialysis: z
      .array(z.object({ withinDays: z.number(), fraction: z.number().min(0).max(1) }))
      .default([]),
    /**
     * Balance points from the donor's `balance` input (net imports per country, and per centre in
     * `regionalCountries`, for the donor's age group; recorded with the donor so a replay reads the
     * same): a country's points are the largest balance among `countries` (absent: 0) less its own;
     * a centre's are its country's net balance shared evenly over its centres, less its own.
     */
    balance: z.object({ countries: z.array(z.string()), regionalCountries: z.array(z.string()) }).optional(),
    offerMode: z.enum(["sequential", "topN"]),
    topN: z.number().int().positive().optional(),
    responseMinutes: z.number().int().positive(),
  })
  .refine((p) => p.offerMode !== "topN" || p.topN !== undefined, {
    message: "topN is required when offerMode is topN",
    path: ["topN"],
  });
export type TAllocationPolicy = z.infer<typeof ZAllocationPolicySchema>;
export type TAllocationPolicyInput = z.input<typeof ZAllocationPolicySchema>;

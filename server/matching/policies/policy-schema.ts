import { z } from "zod";
import { ZOrganTypeSchema } from "../organ-type";
import { ZAboRulesSchema } from "../rules/abo-compatibility";

/**
 * Candidate attributes the engine can compute; a policy weighs or tiers on any of them by name.
 * Raw units: meld 6–40; heartStatus 1–6 (1 most urgent); lungUrgency 0–100; eptsPercent 0–100
 * (lower = longer expected survival); cpra and mismatchProbability 0–100; years; nautical miles;
 * flags 0/1.
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

/** A hard tier: candidates meeting all of `when` (for donors meeting `donorWhen`) rank above later tiers. */
export const ZTierSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  when: z.array(ZTierConditionSchema).min(1),
  donorWhen: z.array(ZDonorConditionSchema).default([]),
});

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

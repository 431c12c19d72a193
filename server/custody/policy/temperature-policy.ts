import { z } from "zod";

/** How an organ is kept between recovery and transplant: each has its own temperature range. */
export const PRESERVATION_METHODS = [
  "STATIC_COLD",
  "HYPOTHERMIC_MACHINE_PERFUSION",
  "NORMOTHERMIC_MACHINE_PERFUSION",
] as const;
export type TPreservationMethod = (typeof PRESERVATION_METHODS)[number];
export const ZPreservationMethodSchema = z.enum(PRESERVATION_METHODS);

export const POLICY_ORGAN_TYPES = ["HEART", "LUNG", "LIVER", "INTESTINE", "PANCREAS", "KIDNEY"] as const;
type TPolicyOrganType = (typeof POLICY_ORGAN_TYPES)[number];

const ZRangeSchema = z
  .object({ minC: z.number(), maxC: z.number() })
  .refine((r) => r.minC < r.maxC, "a range's minC must be below its maxC");
export type TTemperatureRange = z.infer<typeof ZRangeSchema>;

/**
 * Temperature ranges per preservation method, with per-organ overrides: versioned policy data,
 * so a step records which version judged it and a later change does not rewrite past flags.
 */
export const ZTemperaturePolicySchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  ranges: z.record(z.enum(PRESERVATION_METHODS), ZRangeSchema),
  organOverrides: z.partialRecord(
    z.enum(POLICY_ORGAN_TYPES),
    z.partialRecord(z.enum(PRESERVATION_METHODS), ZRangeSchema),
  ),
});
export type TTemperaturePolicy = z.infer<typeof ZTemperaturePolicySchema>;

/**
 * Planning figures: static cold storage keeps organs at about 4 °C, within roughly 0–8 °C
 * (DOMAIN.md); hypothermic machine perfusion runs at 1–10 °C (kidney pumps) and a little warmer
 * for the liver (HOPE, 8–12 °C perfusate); normothermic perfusion near body temperature
 * (liver 35–38 °C; the heart and lung systems run 32–37 °C).
 */
export const TEMPERATURE_POLICY_V1: TTemperaturePolicy = ZTemperaturePolicySchema.parse({
  id: "custody-temperature",
  version: 1,
  ranges: {
    STATIC_COLD: { minC: 0, maxC: 8 },
    HYPOTHERMIC_MACHINE_PERFUSION: { minC: 1, maxC: 10 },
    NORMOTHERMIC_MACHINE_PERFUSION: { minC: 35, maxC: 38 },
  },
  organOverrides: {
    LIVER: { HYPOTHERMIC_MACHINE_PERFUSION: { minC: 4, maxC: 12 } },
    HEART: { NORMOTHERMIC_MACHINE_PERFUSION: { minC: 32, maxC: 37 } },
    LUNG: { NORMOTHERMIC_MACHINE_PERFUSION: { minC: 32, maxC: 37 } },
  },
});

/** The range an organ type kept by a method must stay in under `policy`. */
export function temperatureRange(
  organType: string,
  method: TPreservationMethod,
  policy: TTemperaturePolicy = TEMPERATURE_POLICY_V1,
): TTemperatureRange {
  const override = policy.organOverrides[organType as TPolicyOrganType]?.[method];
  return override ?? policy.ranges[method];
}

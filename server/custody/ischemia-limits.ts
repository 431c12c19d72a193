import { z } from "zod";

/** Cold-ischemia planning limits per organ type (hours) and alert thresholds: versioned policy data. */
export const ZIschemiaPolicySchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  limits: z.record(
    z.enum(["HEART", "LUNG", "LIVER", "INTESTINE", "PANCREAS", "KIDNEY"]),
    z.object({ typicalHours: z.number().positive(), maxHours: z.number().positive() }),
  ),
  warnAtPercent: z.number().min(1).max(100),
  escalateAtPercent: z.number().min(1).max(100),
});
export type TIschemiaPolicy = z.infer<typeof ZIschemiaPolicySchema>;

/**
 * DOMAIN.md planning figures: heart 4–6 h, lung 6–8 h, liver 8–12 h, intestine 8–12 h, pancreas
 * 12–18 h, kidney 24–36 h. The clock counts against the upper figure; warn at 75 %, escalate at 90 %.
 */
export const ISCHEMIA_POLICY_V1: TIschemiaPolicy = ZIschemiaPolicySchema.parse({
  id: "cold-ischemia-planning",
  version: 1,
  limits: {
    HEART: { typicalHours: 4, maxHours: 6 },
    LUNG: { typicalHours: 6, maxHours: 8 },
    LIVER: { typicalHours: 8, maxHours: 12 },
    INTESTINE: { typicalHours: 8, maxHours: 12 },
    PANCREAS: { typicalHours: 12, maxHours: 18 },
    KIDNEY: { typicalHours: 24, maxHours: 36 },
  },
  warnAtPercent: 75,
  escalateAtPercent: 90,
});

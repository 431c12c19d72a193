import { z } from "zod";
import type { TKdriPolicy } from "../policies/kdri-policy";
import { percentileFromTable } from "./epts";

export const CAUSES_OF_DEATH = ["STROKE", "HEAD_TRAUMA", "ANOXIA", "OTHER"] as const;

/** Donor facts the KDRI needs. */
export const ZKdriInputsSchema = z.object({
  ageYears: z.number().min(0).max(100),
  heightCm: z.number().min(30).max(250),
  weightKg: z.number().min(1).max(300),
  hypertension: z.boolean(),
  diabetes: z.boolean(),
  causeOfDeath: z.enum(CAUSES_OF_DEATH),
  creatinineMgDl: z.number().min(0.1).max(25),
  hcv: z.boolean(),
  dcd: z.boolean(),
});
export type TKdriInputs = z.infer<typeof ZKdriInputsSchema>;

/**
 * KDRI_Rao: exp of the linear predictor with the policy's coefficients (Rao et al. 2009, per
 * ../shared/DOMAIN.md), e.g. 0.0128·(age−40) − 0.0194·(age−18)·[age<18] + 0.0107·(age−50)·[age>50] …
 */
export function kdriRao(x: TKdriInputs, policy: TKdriPolicy): number {
  const c = policy.coefficients;
  const lp =
    c.age * (x.ageYears - 40) +
    (x.ageYears < 18 ? c.ageUnder18 * (x.ageYears - 18) : 0) +
    (x.ageYears > 50 ? c.ageOver50 * (x.ageYears - 50) : 0) +
    (c.heightPer10Cm * (x.heightCm - 170)) / 10 +
    (x.weightKg < 80 ? (c.weightUnder80Per5Kg * (x.weightKg - 80)) / 5 : 0) +
    (x.hypertension ? c.hypertension : 0) +
    (x.diabetes ? c.diabetes : 0) +
    (x.causeOfDeath === "STROKE" ? c.causeOfDeathStroke : 0) +
    c.creatinine * (x.creatinineMgDl - 1) +
    (x.creatinineMgDl > 1.5 ? c.creatinineOver1_5 * (x.creatinineMgDl - 1.5) : 0) +
    (x.hcv ? c.hcv : 0) +
    (x.dcd ? c.dcd : 0);
  return Math.exp(lp);
}

/** KDRI_Rao, the scaled KDRI (÷ the year's scaling factor) and the KDPI percentile (0–100). */
export function kdpi(x: TKdriInputs, policy: TKdriPolicy): { kdriRao: number; kdri: number; kdpi: number } {
  const raw = kdriRao(x, policy);
  const scaled = raw / policy.scalingFactor;
  return { kdriRao: raw, kdri: scaled, kdpi: percentileFromTable(scaled, policy.kdpiUpperBounds) };
}

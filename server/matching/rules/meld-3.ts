import { z } from "zod";

/**
 * Liver labs for MELD 3.0. The bounds refuse impossible values (typing errors), not abnormal ones:
 * the score's own floors and caps handle the clinical range.
 */
export const ZMeldInputsSchema = z.object({
  female: z.boolean(),
  bilirubinMgDl: z.number().min(0.1).max(80, "bilirubin above 80 mg/dL is not plausible"),
  sodiumMmolL: z.number().min(90).max(200, "sodium must be 90–200 mmol/L"),
  inr: z.number().min(0.5).max(25, "INR must be 0.5–25"),
  creatinineMgDl: z.number().min(0.1).max(25, "creatinine must be 0.1–25 mg/dL"),
  albuminGDl: z.number().min(0.5).max(7, "albumin must be 0.5–7 g/dL"),
  /** Dialysis at least twice, or 24 h of CVVHD, in the past week. */
  dialysisTwiceInPastWeek: z.boolean(),
});
export type TMeldInputs = z.infer<typeof ZMeldInputsSchema>;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * The unrounded MELD 3.0 (Kim et al., Gastroenterology 2021) after the input floors and caps:
 * bilirubin, INR and creatinine floored at 1.0; creatinine capped at 3.0 and set to 3.0 on dialysis;
 * sodium bounded to 125–137; albumin bounded to 1.5–3.5.
 */
export function meld3Raw(x: TMeldInputs): number {
  const bili = Math.max(1, x.bilirubinMgDl);
  const inr = Math.max(1, x.inr);
  const creat = x.dialysisTwiceInPastWeek ? 3 : clamp(x.creatinineMgDl, 1, 3);
  const na = clamp(x.sodiumMmolL, 125, 137);
  const alb = clamp(x.albuminGDl, 1.5, 3.5);
  const lnBili = Math.log(bili);
  const lnCreat = Math.log(creat);
  return (
    1.33 * (x.female ? 1 : 0) +
    4.56 * lnBili +
    0.82 * (137 - na) -
    0.24 * (137 - na) * lnBili +
    9.09 * Math.log(inr) +
    11.14 * lnCreat +
    1.85 * (3.5 - alb) -
    1.83 * (3.5 - alb) * lnCreat +
    6
  );
}

/** MELD 3.0 as allocated: the raw score rounded to an integer, then bounded to 6–40. */
export function meld3(x: TMeldInputs): number {
  return clamp(Math.round(meld3Raw(x)), 6, 40);
}

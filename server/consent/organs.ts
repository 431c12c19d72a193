import { z } from "zod";

/** Organs and tissues a donor can name, in the order forms and exports list them. */
export const ORGANS = [
  "KIDNEYS",
  "LIVER",
  "HEART",
  "LUNGS",
  "PANCREAS",
  "INTESTINE",
  "CORNEAS",
  "SKIN",
  "BONE",
  "HEART_VALVES",
  "TENDONS",
  "BLOOD_VESSELS",
] as const;
export type TOrgan = (typeof ORGANS)[number];

export const PURPOSES = ["TRANSPLANT", "RESEARCH", "EDUCATION"] as const;
export type TPurpose = (typeof PURPOSES)[number];

export const ZOrganSchema = z.enum(ORGANS, { error: `must be one of ${ORGANS.join(", ")}` });
export const ZPurposeSchema = z.enum(PURPOSES, { error: `must be one of ${PURPOSES.join(", ")}` });

/** Deduplicates and puts values in their declared order, so equal choices commit to equal bytes. */
export function inDeclaredOrder<T extends string>(order: readonly T[], values: readonly T[]): T[] {
  const chosen = new Set(values);
  return order.filter((v) => chosen.has(v));
}

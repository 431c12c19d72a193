import { z } from "zod";

/**
 * Donor labs an OPO records after referral, so a centre reads the trend and not one value from
 * hours ago: a rising creatinine or transaminase changes a kidney or liver decision. Values are
 * stored in one unit per test (creatinine and bilirubin in mg/dL, as the engine computes with).
 * Pure; shared by the server and the forms.
 */
export const DONOR_LAB_TESTS = {
  CREATININE: { label: "Creatinine", unit: "mg/dL", min: 0.1, max: 25 },
  BILIRUBIN: { label: "Total bilirubin", unit: "mg/dL", min: 0.1, max: 50 },
  AST: { label: "AST", unit: "U/L", min: 1, max: 20_000 },
  ALT: { label: "ALT", unit: "U/L", min: 1, max: 20_000 },
  SODIUM: { label: "Sodium", unit: "mmol/L", min: 100, max: 200 },
} as const;
export type TDonorLabTest = keyof typeof DONOR_LAB_TESTS;
export const DONOR_LAB_TEST_CODES = Object.keys(DONOR_LAB_TESTS) as [TDonorLabTest, ...TDonorLabTest[]];

/** A result may be entered up to this long after it was taken, and a clock a little fast is no error. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Labs from the donor's stay before referral count; older ones are a typing slip. */
const OLDEST_BEFORE_REFERRAL_MS = 14 * 24 * 3_600_000;

export const ZRecordDonorLabSchema = z
  .object({
    donorCaseId: z.uuid("donorCaseId must be a donor case id"),
    test: z.enum(DONOR_LAB_TEST_CODES, { error: "test: choose a lab test" }),
    value: z.number({ error: "value must be a number" }).finite("value must be a number"),
    takenAt: z.coerce.date({ error: "takenAt must be a date and time" }),
  })
  .superRefine((v, ctx) => {
    const spec = DONOR_LAB_TESTS[v.test];
    if (v.value < spec.min || v.value > spec.max)
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `${spec.label.toLowerCase()} is ${spec.min}–${spec.max} ${spec.unit}`,
      });
    if (Number.isNaN(v.takenAt.getTime()))
      ctx.addIssue({ code: "custom", path: ["takenAt"], message: "takenAt must be a date and time" });
  });
export type TRecordDonorLab = z.infer<typeof ZRecordDonorLabSchema>;

/** takenAt within the case's life: not in the future, not long before the referral. */
export function takenAtProblem(takenAt: Date, openedAt: Date, now: Date): string | null {
  if (takenAt.getTime() > now.getTime() + CLOCK_SKEW_MS) return "takenAt cannot be in the future";
  if (takenAt.getTime() < openedAt.getTime() - OLDEST_BEFORE_REFERRAL_MS)
    return "takenAt is more than 14 days before the referral";
  return null;
}

export type TLabPoint = { value: number; takenAt: Date; atReferral?: boolean };
export type TLabTrend = {
  test: TDonorLabTest;
  points: TLabPoint[];
  latest: TLabPoint;
  peak: TLabPoint;
  /** Latest against the one before: rising or falling by at least 10 %, else stable; null with one value. */
  direction: "rising" | "falling" | "stable" | null;
  changePercent: number | null;
};

/** Change under this share of the earlier value reads as stable (assay and hydration noise). */
const STABLE_WITHIN = 0.1;

/** The series of one test in time order, with its latest value, peak and direction. */
export function labTrend(test: TDonorLabTest, points: readonly TLabPoint[]): TLabTrend | null {
  if (points.length === 0) return null;
  const sorted = [...points].sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
  const latest = sorted[sorted.length - 1] as TLabPoint;
  const previous = sorted.length > 1 ? (sorted[sorted.length - 2] as TLabPoint) : null;
  const peak = sorted.reduce((p, x) => (x.value > p.value ? x : p));
  const change = previous ? (latest.value - previous.value) / previous.value : null;
  const direction =
    change === null
      ? null
      : change >= STABLE_WITHIN
        ? "rising"
        : change <= -STABLE_WITHIN
          ? "falling"
          : "stable";
  return {
    test,
    points: sorted,
    latest,
    peak,
    direction,
    changePercent: change === null ? null : Math.round(change * 100),
  };
}

/** A trend as the API returns it (the case page and the offer sheet). */
const ZLabPointSchema = z.object({
  value: z.number(),
  takenAt: z.date(),
  atReferral: z.boolean().optional(),
});
export const ZLabTrendSchema = z.object({
  test: z.enum(DONOR_LAB_TEST_CODES),
  points: z.array(ZLabPointSchema),
  latest: ZLabPointSchema,
  peak: ZLabPointSchema,
  direction: z.enum(["rising", "falling", "stable"]).nullable(),
  changePercent: z.number().nullable(),
});

import { z } from "zod";
import { ISCHEMIA_POLICY_V1, type TIschemiaPolicy } from "../ischemia-limits";
import {
  TEMPERATURE_POLICY_V1,
  type TPreservationMethod,
  type TTemperaturePolicy,
  temperatureRange,
  ZPreservationMethodSchema,
} from "./temperature-policy";

/**
 * What a step's readings mean under policy, recorded with the step (and in its ledger event) so
 * the flag is anchored with it: codes and bounded numbers only.
 */
export const ZExcursionSchema = z.object({
  /** TEMPERATURE_HIGH / TEMPERATURE_LOW: a reading outside the range; ISCHEMIA_*: clock past a threshold. */
  code: z.enum([
    "TEMPERATURE_HIGH",
    "TEMPERATURE_LOW",
    "ISCHEMIA_WARNING",
    "ISCHEMIA_CRITICAL",
    "ISCHEMIA_EXCEEDED",
  ]),
  /** warn: look now; escalate: act now (a temperature excursion always escalates). */
  severity: z.enum(["warn", "escalate"]),
  temperatureC: z.number().optional(),
  rangeC: z.object({ minC: z.number(), maxC: z.number() }).optional(),
  preservation: ZPreservationMethodSchema.optional(),
  percentUsed: z.number().optional(),
  /** policy id@version that judged the step. */
  policy: z.string(),
});
export type TExcursion = z.infer<typeof ZExcursionSchema>;

const METHOD_WORDS: Record<TPreservationMethod, string> = {
  STATIC_COLD: "static cold storage",
  HYPOTHERMIC_MACHINE_PERFUSION: "hypothermic machine perfusion",
  NORMOTHERMIC_MACHINE_PERFUSION: "normothermic machine perfusion",
};

/** One sentence a coordinator acts on, e.g. "40 °C is above 0–8 °C for static cold storage of a kidney." */
export function describeExcursion(x: TExcursion, organType: string): string {
  const organ = organType.toLowerCase();
  if (x.code === "TEMPERATURE_HIGH" || x.code === "TEMPERATURE_LOW") {
    const where = x.code === "TEMPERATURE_HIGH" ? "above" : "below";
    const method = x.preservation ? METHOD_WORDS[x.preservation] : "storage";
    return `Temperature excursion: ${x.temperatureC} °C is ${where} the ${x.rangeC?.minC}–${x.rangeC?.maxC} °C range for ${method} of a ${organ}.`;
  }
  const pct = Math.round(x.percentUsed ?? 0);
  if (x.code === "ISCHEMIA_EXCEEDED")
    return `Cold ischemia limit passed for this ${organ} (${pct} % of its limit).`;
  return `${pct} % of this ${organ}'s cold ischemia time used at this step${x.severity === "escalate" ? " — escalate" : ""}.`;
}

/**
 * Judges one custody step against policy: each temperature reported (on the step or by the
 * device) against the range for the organ type and preservation method, and the cold-ischemia
 * clock at the step's time against the warn / escalate thresholds. Pure; returns [] when all is
 * within policy or nothing was measured.
 */
export function assessStep(opts: {
  organType: string;
  preservation: TPreservationMethod;
  temperaturesC: number[];
  at: Date;
  coldIschemiaStartedAt: Date | null;
  coldIschemiaEndedAt?: Date | null;
  temperaturePolicy?: TTemperaturePolicy;
  ischemiaPolicy?: TIschemiaPolicy;
}): TExcursion[] {
  const tp = opts.temperaturePolicy ?? TEMPERATURE_POLICY_V1;
  const ip = opts.ischemiaPolicy ?? ISCHEMIA_POLICY_V1;
  const out: TExcursion[] = [];
  const range = temperatureRange(opts.organType, opts.preservation, tp);
  for (const t of opts.temperaturesC) {
    if (t >= range.minC && t <= range.maxC) continue;
    out.push({
      code: t > range.maxC ? "TEMPERATURE_HIGH" : "TEMPERATURE_LOW",
      severity: "escalate",
      temperatureC: t,
      rangeC: range,
      preservation: opts.preservation,
      policy: `${tp.id}@${tp.version}`,
    });
  }
  const limit = ip.limits[opts.organType as keyof TIschemiaPolicy["limits"]];
  if (limit && opts.coldIschemiaStartedAt && !opts.coldIschemiaEndedAt) {
    const minutes = (opts.at.getTime() - opts.coldIschemiaStartedAt.getTime()) / 60_000;
    const pct = (minutes / (limit.maxHours * 60)) * 100;
    const code =
      pct >= 100
        ? "ISCHEMIA_EXCEEDED"
        : pct >= ip.escalateAtPercent
          ? "ISCHEMIA_CRITICAL"
          : pct >= ip.warnAtPercent
            ? "ISCHEMIA_WARNING"
            : null;
    if (code) {
      out.push({
        code,
        severity: code === "ISCHEMIA_WARNING" ? "warn" : "escalate",
        percentUsed: Math.round(pct * 10) / 10,
        policy: `${ip.id}@${ip.version}`,
      });
    }
  }
  return out;
}

/**
 * Temperature excursions alert the OPO and the destination centre when the step is recorded;
 * ischemia thresholds are already announced by the ischemia monitor as the clock passes them.
 */
export const isTemperatureExcursion = (x: TExcursion) =>
  x.code === "TEMPERATURE_HIGH" || x.code === "TEMPERATURE_LOW";

/** The temperature excursions a step's details record, in words (older steps have none). */
export function stepExcursions(details: unknown, organType: string): string[] {
  const raw = (details as { excursions?: unknown } | null)?.excursions;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((x) => {
    const parsed = ZExcursionSchema.safeParse(x);
    return parsed.success && isTemperatureExcursion(parsed.data)
      ? [describeExcursion(parsed.data, organType)]
      : [];
  });
}

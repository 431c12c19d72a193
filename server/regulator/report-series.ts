import { z } from "zod";
import { ISCHEMIA_POLICY_V1, type TIschemiaPolicy } from "@/server/custody/ischemia-limits";
import { AppError } from "@/server/errors";

/**
 * Pure building blocks of the regulator's reports: the period, histogram buckets and time series.
 * No Prisma here, so each rule is checked with tables of cases.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MAX_DAYS = 731;
const MAX_HOURLY_DAYS = 31;

/** A report period as GET parameters: whole UTC days, both ends included. */
export const ZReportRangeSchema = z.object({
  from: z.iso.date("from must be a date (YYYY-MM-DD)").optional(),
  to: z.iso.date("to must be a date (YYYY-MM-DD)").optional(),
  granularity: z.enum(["day", "hour"]).optional(),
});
export type TReportRangeInput = z.infer<typeof ZReportRangeSchema>;
export type TReportRange = { from: Date; toExclusive: Date; granularity: "day" | "hour" };

const dayOf = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/**
 * The period a report covers: `from`..`to` inclusive (default the last 30 days up to `now`).
 * Refuses reversed or over-long periods (2 years daily, 31 days hourly) and years outside 2000–2200,
 * so a request can never ask the database for an unbounded series.
 */
export function resolveReportRange(input: TReportRangeInput, now: Date = new Date()): TReportRange {
  const granularity = input.granularity ?? "day";
  const to = input.to ? new Date(`${input.to}T00:00:00Z`) : dayOf(now);
  const from = input.from ? new Date(`${input.from}T00:00:00Z`) : new Date(to.getTime() - 29 * DAY_MS);
  for (const [name, d] of [
    ["from", from],
    ["to", to],
  ] as const) {
    const year = d.getUTCFullYear();
    if (Number.isNaN(d.getTime()) || year < 2000 || year > 2200) {
      throw new AppError("BAD_REQUEST", `${name} must be a date between 2000 and 2200`, {
        [name]: "out of range",
      });
    }
  }
  if (from > to) throw new AppError("BAD_REQUEST", "from must not be after to", { from: "after to" });
  const days = (to.getTime() - from.getTime()) / DAY_MS + 1;
  const max = granularity === "hour" ? MAX_HOURLY_DAYS : MAX_DAYS;
  if (days > max) {
    throw new AppError(
      "BAD_REQUEST",
      `a ${granularity === "hour" ? "hourly" : "daily"} report covers ${max} days at most`,
      {
        from: "period too long",
      },
    );
  }
  return { from, toExclusive: new Date(to.getTime() + DAY_MS), granularity };
}

/** The start of every period (day or hour) in the range, in order. */
export function periodStarts(range: TReportRange): Date[] {
  const step = range.granularity === "hour" ? HOUR_MS : DAY_MS;
  const out: Date[] = [];
  for (let t = range.from.getTime(); t < range.toExclusive.getTime(); t += step) out.push(new Date(t));
  return out;
}

/** The period key (ISO date for days, ISO minute for hours) a moment falls in. */
export function periodKey(at: Date, granularity: "day" | "hour"): string {
  return granularity === "hour" ? `${at.toISOString().slice(0, 13)}:00Z` : at.toISOString().slice(0, 10);
}

export type TIschemiaBucket = {
  organType: string;
  bucket: string;
  fromHours: number;
  /** null for the last, open-ended bucket. */
  toHours: number | null;
  organs: number;
  limitHours: number;
  beyondLimit: boolean;
};

/**
 * Cold-ischemia histogram per organ type: about six buckets up to the type's limit and as many
 * beyond, the last open-ended, so the limit always falls on a bucket edge. Every type of the policy
 * gets its buckets, with zeros where no organ fell, so charts keep the same axes from one period to the next.
 */
export function ischemiaHistogram(
  organs: Array<{ organType: string; hours: number }>,
  policy: TIschemiaPolicy = ISCHEMIA_POLICY_V1,
): TIschemiaBucket[] {
  const rows: TIschemiaBucket[] = [];
  for (const [organType, limit] of Object.entries(policy.limits)) {
    const limitHours = limit.maxHours;
    const width = Math.max(1, Math.round(limitHours / 6));
    const closed = Math.ceil((2 * limitHours) / width);
    const counts = new Array<number>(closed + 1).fill(0);
    for (const o of organs) {
      if (o.organType !== organType || !Number.isFinite(o.hours) || o.hours < 0) continue;
      const i = Math.min(closed, Math.floor(o.hours / width));
      counts[i] = (counts[i] ?? 0) + 1;
    }
    counts.forEach((n, i) => {
      const fromHours = i * width;
      const toHours = i === closed ? null : fromHours + width;
      rows.push({
        organType,
        bucket: toHours === null ? `≥ ${fromHours} h` : `${fromHours}–${toHours} h`,
        fromHours,
        toHours,
        organs: n,
        limitHours,
        beyondLimit: fromHours >= limitHours,
      });
    });
  }
  return rows;
}

export const RESPONSE_BUCKETS = [
  { label: "< 15 min", below: 15 },
  { label: "15–30 min", below: 30 },
  { label: "30–60 min", below: 60 },
  { label: "1–2 h", below: 120 },
  { label: "≥ 2 h", below: Number.POSITIVE_INFINITY },
] as const;

/** Which response-time bucket an answer after `minutes` falls in. */
export function responseBucket(minutes: number): string {
  return (RESPONSE_BUCKETS.find((b) => minutes < b.below) ?? RESPONSE_BUCKETS[4]).label;
}

/** The median of a list (null when empty). */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const TRANSIT_OPENS = new Set(["HANDOFF_ACCEPTED"]);
const TRANSIT_CLOSES = new Set(["ARRIVED", "TRANSPLANTED", "DISCARDED", "RETURNED"]);

/**
 * An organ's transit legs from its custody steps (in sequence order): a leg opens when a receiver
 * takes custody and closes at arrival, transplant, discard or return; an open leg runs until `now`.
 */
export function transitLegs(
  steps: Array<{ kind: string; at: Date }>,
  now: Date,
): Array<{ start: Date; end: Date }> {
  const legs: Array<{ start: Date; end: Date }> = [];
  let open: Date | null = null;
  for (const s of steps) {
    if (open === null && TRANSIT_OPENS.has(s.kind)) open = s.at;
    else if (open !== null && TRANSIT_CLOSES.has(s.kind)) {
      legs.push({ start: open, end: s.at });
      open = null;
    }
  }
  if (open !== null) legs.push({ start: open, end: now });
  return legs;
}

/**
 * Organs in transit per period: an organ counts in every period its legs overlap (once per period,
 * however many legs). Periods come from `range`.
 */
export function transitSeries(
  organs: Array<{ organId: string; legs: Array<{ start: Date; end: Date }> }>,
  range: TReportRange,
): Array<{ period: string; organs: number }> {
  const step = range.granularity === "hour" ? HOUR_MS : DAY_MS;
  return periodStarts(range).map((start) => {
    const end = start.getTime() + step;
    const n = organs.filter((o) =>
      o.legs.some(
        (l) => l.start.getTime() < end && Math.max(l.end.getTime(), l.start.getTime() + 1) > start.getTime(),
      ),
    ).length;
    return { period: periodKey(start, range.granularity), organs: n };
  });
}

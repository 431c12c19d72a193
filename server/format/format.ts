import type { TCreatinineUnit } from "@/server/preferences/preferences-schema";

export * from "./labels";

/**
 * The one place dates, times and units are written for people: the same day reads the same on
 * every page ("2 Dec 2026"), a time always carries its zone ("14:05 GMT"), and lab values follow
 * the user's unit setting. Pure; used by server and client components alike.
 */
type TWhen = Date | string | number;
const toDate = (d: TWhen) => (d instanceof Date ? d : new Date(d));

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { ...opts, timeZone });
    formatters.set(key, f);
  }
  return f;
}

const DATE: Intl.DateTimeFormatOptions = { day: "numeric", month: "short", year: "numeric" };
const TIME: Intl.DateTimeFormatOptions = {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short",
};

/** "2 Dec 2026" in the zone. */
export function formatDate(when: TWhen, timeZone = "UTC"): string {
  const d = toDate(when);
  return Number.isNaN(d.getTime()) ? "—" : formatter(timeZone, DATE).format(d);
}

/** "14:05 GMT" (with seconds: "14:05:09 GMT"). */
export function formatTime(when: TWhen, timeZone = "UTC", opts: { seconds?: boolean } = {}): string {
  const d = toDate(when);
  if (Number.isNaN(d.getTime())) return "—";
  return formatter(timeZone, opts.seconds ? { ...TIME, second: "2-digit" } : TIME).format(d);
}

/** "2 Dec 2026, 14:05 GMT". */
export function formatDateTime(when: TWhen, timeZone = "UTC", opts: { seconds?: boolean } = {}): string {
  const d = toDate(when);
  if (Number.isNaN(d.getTime())) return "—";
  return `${formatDate(d, timeZone)}, ${formatTime(d, timeZone, opts)}`;
}

/** "3 h 05 min", "45 min", "2 d 4 h": a duration people read at a glance. */
export function formatDuration(minutes: number): string {
  if (!Number.isFinite(minutes)) return "—";
  const sign = minutes < 0 ? "−" : "";
  const m = Math.round(Math.abs(minutes));
  if (m < 60) return `${sign}${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${sign}${h} h ${String(m % 60).padStart(2, "0")} min`;
  return `${sign}${Math.floor(h / 24)} d ${h % 24} h`;
}

/** mg/dL → µmol/L: creatinine 88.42, bilirubin 17.1 (molar masses 113.12 and 584.66 g/mol). */
const MICROMOL_PER_MGDL = { creatinine: 88.42, bilirubin: 17.1 } as const;

/** A creatinine or bilirubin value stored in mg/dL, written in the user's unit. */
export function formatLab(
  analyte: keyof typeof MICROMOL_PER_MGDL,
  mgPerDl: number | null | undefined,
  unit: TCreatinineUnit,
): string {
  if (mgPerDl === null || mgPerDl === undefined || !Number.isFinite(mgPerDl)) return "—";
  if (unit === "µmol/L") return `${Math.round(mgPerDl * MICROMOL_PER_MGDL[analyte])} µmol/L`;
  return `${Number(mgPerDl.toFixed(2))} mg/dL`;
}

/** A value as typed in the user's unit, back to mg/dL (what the engine computes with). */
export function toMgPerDl(
  analyte: keyof typeof MICROMOL_PER_MGDL,
  value: number,
  unit: TCreatinineUnit,
): number {
  return unit === "µmol/L" ? value / MICROMOL_PER_MGDL[analyte] : value;
}

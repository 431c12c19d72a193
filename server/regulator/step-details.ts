import { stepExcursions } from "@/server/custody/policy/assess-step";

export type TStepFact = { label: string; value: string };

const PRESERVATION_WORDS: Record<string, string> = {
  STATIC_COLD: "static cold storage",
  HYPOTHERMIC_MACHINE_PERFUSION: "hypothermic machine perfusion",
  NORMOTHERMIC_MACHINE_PERFUSION: "normothermic machine perfusion",
};

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

function place(v: unknown): string | null {
  if (typeof v === "string" && v.trim()) return v;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.label === "string" && o.label) return o.label;
    const lat = num(o.lat);
    const lon = num(o.lon ?? o.lng);
    if (lat !== null && lon !== null) return `${lat.toFixed(4)}, ${lon.toFixed(4)}`;
  }
  return null;
}

/**
 * A custody step's details as a regulator reads them: place, temperature, preservation, device,
 * estimated arrival, reason, who it was handed to (by name), and the excursions policy flagged.
 * Pure; `nameOf` resolves user and organisation ids to names, `formatTime` formats ISO times.
 */
export function describeCustodyDetails(opts: {
  details: Record<string, unknown>;
  organType: string;
  nameOf: (id: string) => string | null;
  formatTime: (iso: string) => string;
}): { facts: TStepFact[]; excursions: string[] } {
  const d = opts.details;
  const facts: TStepFact[] = [];
  const where = place(d.location);
  if (where) facts.push({ label: "Place", value: where });
  const t = num(d.temperatureC);
  if (t !== null) facts.push({ label: "Temperature", value: `${t} °C` });
  if (typeof d.preservation === "string")
    facts.push({ label: "Preservation", value: PRESERVATION_WORDS[d.preservation] ?? d.preservation });
  if (typeof d.deviceReading === "string") facts.push({ label: "Device", value: d.deviceReading });
  else if (d.deviceReading && typeof d.deviceReading === "object") {
    const r = d.deviceReading as Record<string, unknown>;
    const parts = [
      typeof r.deviceId === "string" ? r.deviceId : null,
      num(r.temperatureC) !== null ? `${r.temperatureC} °C` : null,
      num(r.flowMlMin) !== null ? `${r.flowMlMin} mL/min` : null,
      num(r.pressureMmHg) !== null ? `${r.pressureMmHg} mmHg` : null,
    ].filter(Boolean);
    facts.push({ label: "Device", value: parts.join(", ") });
  }
  if (typeof d.toUserId === "string" || typeof d.toOrgId === "string") {
    const who = [
      typeof d.toUserId === "string" ? opts.nameOf(d.toUserId) : null,
      typeof d.toOrgId === "string" ? opts.nameOf(d.toOrgId) : null,
    ].filter(Boolean);
    facts.push({ label: "Handed to", value: who.join(", ") || "someone no longer on record" });
  }
  if (typeof d.etaAt === "string") facts.push({ label: "Expected arrival", value: opts.formatTime(d.etaAt) });
  if (typeof d.warmIschemiaStartedAt === "string")
    facts.push({ label: "Withdrawal of life support", value: opts.formatTime(d.warmIschemiaStartedAt) });
  if (typeof d.reason === "string" && d.reason) facts.push({ label: "Reason", value: d.reason });
  return { facts, excursions: stepExcursions(d, opts.organType) };
}

import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatDuration,
  formatLab,
  formatTime,
  label,
  organName,
  toMgPerDl,
} from "./format";

const when = "2026-12-02T14:05:09Z";

describe("dates and times", () => {
  it.each([
    { tz: "UTC", date: "2 Dec 2026", time: "14:05 UTC" },
    { tz: "Europe/London", date: "2 Dec 2026", time: "14:05 GMT" },
    { tz: "America/New_York", date: "2 Dec 2026", time: "09:05 GMT-5" },
    { tz: "Pacific/Auckland", date: "3 Dec 2026", time: "03:05 GMT+13" },
  ])("in $tz: $date, $time", ({ tz, date, time }) => {
    expect(formatDate(when, tz)).toBe(date);
    expect(formatTime(when, tz)).toBe(time);
    expect(formatDateTime(when, tz)).toBe(`${date}, ${time}`);
  });
  it("writes seconds when asked and a dash for a bad date", () => {
    expect(formatTime(when, "UTC", { seconds: true })).toBe("14:05:09 UTC");
    expect(formatDateTime("not a date")).toBe("—");
  });
  it.each([
    [45, "45 min"],
    [185, "3 h 05 min"],
    [-20, "−20 min"],
    [3000, "2 d 2 h"],
  ])("%d minutes read %s", (m, want) => {
    expect(formatDuration(m)).toBe(want);
  });
});

describe("lab units", () => {
  it.each([
    { analyte: "creatinine", mg: 1.2, unit: "mg/dL", want: "1.2 mg/dL" },
    { analyte: "creatinine", mg: 1.2, unit: "µmol/L", want: "106 µmol/L" },
    { analyte: "bilirubin", mg: 2, unit: "µmol/L", want: "34 µmol/L" },
    { analyte: "creatinine", mg: null, unit: "mg/dL", want: "—" },
  ] as const)("$analyte $mg mg/dL in $unit: $want", ({ analyte, mg, unit, want }) => {
    expect(formatLab(analyte, mg, unit)).toBe(want);
  });
  it("converts a value typed in µmol/L back to mg/dL", () => {
    expect(toMgPerDl("creatinine", 88.42, "µmol/L")).toBeCloseTo(1);
    expect(toMgPerDl("creatinine", 1.3, "mg/dL")).toBe(1.3);
  });
});

describe("a label for every code", () => {
  it.each([
    ["organType", "KIDNEY", "Kidney"],
    ["status", "in_transit", "In transit"],
    ["status", "IN_TRANSIT", "In transit"],
    ["status", "HANDOFF_PENDING", "Hand-off awaiting receipt"],
    ["refusalReason", "DONOR_SIZE", "Donor size or weight"],
    ["role", "OPO_COORDINATOR", "OPO coordinator"],
    ["scoreKey", "dialysisYears", "Years on dialysis"],
    ["scoreKey", "eptsPercent", "EPTS (expected survival, lower is longer)"],
    ["custodyStep", "HANDOFF_ACCEPTED", "Receipt of hand-off"],
    ["preservation", "STATIC_COLD", "Static cold storage"],
    ["status", "SOME_NEW_CODE", "Some new code"],
    ["scoreKey", "someNewKey", "Some new key"],
    ["status", null, "—"],
  ] as const)("%s %s → %s", (kind, code, want) => {
    expect(label(kind, code)).toBe(want);
  });
  it("names an organ with its side", () => {
    expect(organName("KIDNEY", "LEFT")).toBe("Kidney (left)");
    expect(organName("LIVER", null)).toBe("Liver");
  });
});

import { describe, expect, it } from "vitest";
import {
  ischemiaHistogram,
  median,
  resolveReportRange,
  responseBucket,
  transitLegs,
  transitSeries,
} from "./report-series";

const t = (s: string) => new Date(`2025-03-${s}Z`);

describe("report series", () => {
  it.each([
    { desc: "default: the last 30 days", input: {}, want: ["2025-02-08", "2025-03-10"] },
    { desc: "one day", input: { from: "2025-03-01", to: "2025-03-01" }, want: ["2025-03-01", "2025-03-02"] },
    { desc: "from only", input: { from: "2025-03-01" }, want: ["2025-03-01", "2025-03-10"] },
  ])("range: $desc", ({ input, want }) => {
    const r = resolveReportRange(input, t("09T15:00:00"));
    expect([r.from.toISOString().slice(0, 10), r.toExclusive.toISOString().slice(0, 10)]).toEqual(want);
  });

  it.each([
    [0, "< 15 min"],
    [14.9, "< 15 min"],
    [15, "15–30 min"],
    [59, "30–60 min"],
    [60, "1–2 h"],
    [600, "≥ 2 h"],
  ])("response after %s min falls in %s", (minutes, want) => {
    expect(responseBucket(minutes)).toBe(want);
  });

  it("medians", () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it("puts the limit on a bucket edge and overflows beyond twice the limit", () => {
    const rows = ischemiaHistogram([
      { organType: "LIVER", hours: 11.99 },
      { organType: "LIVER", hours: 12 },
      { organType: "LIVER", hours: 500 },
      { organType: "LIVER", hours: Number.NaN },
    ]).filter((r) => r.organType === "LIVER");
    expect(rows.map((r) => r.bucket)).toEqual([
      "0–2 h",
      "2–4 h",
      "4–6 h",
      "6–8 h",
      "8–10 h",
      "10–12 h",
      "12–14 h",
      "14–16 h",
      "16–18 h",
      "18–20 h",
      "20–22 h",
      "22–24 h",
      "≥ 24 h",
    ]);
    expect(rows.filter((r) => r.organs).map((r) => [r.bucket, r.organs, r.beyondLimit])).toEqual([
      ["10–12 h", 1, false],
      ["12–14 h", 1, true],
      ["≥ 24 h", 1, true],
    ]);
  });

  it("opens transit legs at a taken hand-off and closes them at arrival, return or outcome", () => {
    const now = t("09T00:00:00");
    expect(
      transitLegs(
        [
          { kind: "HANDOFF_ACCEPTED", at: t("01T10:00:00") },
          { kind: "CHECKPOINT", at: t("01T11:00:00") },
          { kind: "RETURNED", at: t("01T12:00:00") },
          { kind: "HANDOFF_ACCEPTED", at: t("02T10:00:00") },
        ],
        now,
      ),
    ).toEqual([
      { start: t("01T10:00:00"), end: t("01T12:00:00") },
      { start: t("02T10:00:00"), end: now },
    ]);
    const range = resolveReportRange({ from: "2025-03-01", to: "2025-03-03" });
    const series = transitSeries(
      [
        { organId: "a", legs: [{ start: t("01T23:00:00"), end: t("02T00:00:00") }] },
        { organId: "b", legs: [{ start: t("03T05:00:00"), end: t("03T05:00:00") }] },
      ],
      range,
    );
    expect(series).toEqual([
      { period: "2025-03-01", organs: 1 },
      { period: "2025-03-02", organs: 0 },
      { period: "2025-03-03", organs: 1 },
    ]);
  });
});

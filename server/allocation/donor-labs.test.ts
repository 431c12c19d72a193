import { describe, expect, it } from "vitest";
import { labTrend, takenAtProblem, ZRecordDonorLabSchema } from "./donor-labs";

const at = (h: number) => new Date(Date.UTC(2026, 11, 2, h));

describe("donor lab trends", () => {
  it("orders by time taken, names the latest, the peak and the direction against the one before", () => {
    const t = labTrend("CREATININE", [
      { value: 2.0, takenAt: at(10) },
      { value: 1.2, takenAt: at(2), atReferral: true },
      { value: 1.5, takenAt: at(6) },
    ]);
    expect(t?.points.map((p) => p.value)).toEqual([1.2, 1.5, 2.0]);
    expect(t).toMatchObject({
      latest: { value: 2.0 },
      peak: { value: 2.0 },
      direction: "rising",
      changePercent: 33,
    });
  });

  it("reads a change under 10 % as stable, a fall as falling, one value as no direction", () => {
    expect(
      labTrend("SODIUM", [
        { value: 140, takenAt: at(1) },
        { value: 145, takenAt: at(2) },
      ])?.direction,
    ).toBe("stable");
    const falling = labTrend("AST", [
      { value: 400, takenAt: at(1) },
      { value: 200, takenAt: at(2) },
    ]);
    expect(falling).toMatchObject({ direction: "falling", changePercent: -50, peak: { value: 400 } });
    expect(labTrend("ALT", [{ value: 40, takenAt: at(1) }])?.direction).toBeNull();
    expect(labTrend("ALT", [])).toBeNull();
  });

  it("keeps each test within its range and a time within the case's life", () => {
    const r = ZRecordDonorLabSchema.safeParse({
      donorCaseId: "00000000-0000-4000-8000-000000000000",
      test: "BILIRUBIN",
      value: 60,
      takenAt: at(1),
    });
    expect(r.success ? null : r.error.issues[0]?.message).toBe("total bilirubin is 0.1–50 mg/dL");
    expect(takenAtProblem(at(12), at(2), at(11))).toBe("takenAt cannot be in the future");
    expect(takenAtProblem(at(11), at(2), at(11))).toBeNull();
  });
});

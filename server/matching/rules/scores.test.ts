import { describe, expect, it } from "vitest";
import {
  EPTS_POLICY_SYNTHETIC_2024 as EPTS,
  KDRI_POLICY_RAO_SYNTHETIC_2024 as KDRI,
} from "../policies/kdri-policy";
import { distanceNm } from "./distance";
import { eptsRaw, percentileFromTable } from "./epts";
import { kdpi, kdriRao, type TKdriInputs } from "./kdri";
import { meld3, meld3Raw, type TMeldInputs } from "./meld-3";

const normal: TMeldInputs = {
  female: false,
  bilirubinMgDl: 1,
  sodiumMmolL: 137,
  inr: 1,
  creatinineMgDl: 1,
  albuminGDl: 3.5,
  dialysisTwiceInPastWeek: false,
};

// Expected values recomputed independently (Python) from the published formula; raw shown to 4 dp.
describe("MELD 3.0", () => {
  const table: { desc: string; input: Partial<TMeldInputs>; raw: number; want: number }[] = [
    { desc: "all labs normal, male: the constant 6", input: {}, raw: 6, want: 6 },
    { desc: "all labs normal, female: 6 + 1.33", input: { female: true }, raw: 7.33, want: 7 },
    {
      desc: "floors: bili, INR, creat < 1 → 1; Na > 137 → 137; albumin > 3.5 → 3.5",
      input: { bilirubinMgDl: 0.5, inr: 0.8, creatinineMgDl: 0.6, sodiumMmolL: 140, albuminGDl: 4 },
      raw: 6,
      want: 6,
    },
    // 1.33 + 4.56·ln3 + 0.82·7 − 0.24·7·ln3 + 9.09·ln1.5 + 11.14·ln1.2 + 1.85·0.7 − 1.83·0.7·ln1.2 + 6
    {
      desc: "reference: female, bili 3, Na 130, INR 1.5, creat 1.2, alb 2.8",
      input: {
        female: true,
        bilirubinMgDl: 3,
        sodiumMmolL: 130,
        inr: 1.5,
        creatinineMgDl: 1.2,
        albuminGDl: 2.8,
      },
      raw: 23.0122,
      want: 23,
    },
    {
      desc: "creatinine capped at 3.0",
      input: { bilirubinMgDl: 3, sodiumMmolL: 130, inr: 1.5, creatinineMgDl: 5, albuminGDl: 2.8 },
      raw: 30.7159,
      want: 31,
    },
    {
      desc: "creatinine exactly 3.0",
      input: { bilirubinMgDl: 3, sodiumMmolL: 130, inr: 1.5, creatinineMgDl: 3, albuminGDl: 2.8 },
      raw: 30.7159,
      want: 31,
    },
    {
      desc: "dialysis twice in a week sets creatinine to 3.0",
      input: {
        bilirubinMgDl: 3,
        sodiumMmolL: 130,
        inr: 1.5,
        creatinineMgDl: 0.9,
        albuminGDl: 2.8,
        dialysisTwiceInPastWeek: true,
      },
      raw: 30.7159,
      want: 31,
    },
    {
      desc: "sodium below 125 bounded to 125",
      input: { bilirubinMgDl: 2, sodiumMmolL: 118 },
      raw: 17.0045,
      want: 17,
    },
    { desc: "sodium at 125", input: { bilirubinMgDl: 2, sodiumMmolL: 125 }, raw: 17.0045, want: 17 },
    { desc: "albumin below 1.5 bounded to 1.5", input: { albuminGDl: 1 }, raw: 9.7, want: 10 },
    {
      desc: "rounds 12.5027 up",
      input: { female: true, bilirubinMgDl: 1.2, sodiumMmolL: 133, inr: 1.1, albuminGDl: 3.3 },
      raw: 12.5027,
      want: 13,
    },
    { desc: "rounds 9.1608 down", input: { bilirubinMgDl: 2 }, raw: 9.1608, want: 9 },
    {
      desc: "capped at 40",
      input: { bilirubinMgDl: 30, sodiumMmolL: 120, inr: 4, creatinineMgDl: 4, albuminGDl: 1 },
      raw: 46.073,
      want: 40,
    },
  ];
  for (const t of table) {
    it(t.desc, () => {
      const x = { ...normal, ...t.input };
      expect(meld3Raw(x)).toBeCloseTo(t.raw, 3);
      expect(meld3(x)).toBe(t.want);
    });
  }
});

const kdriBase: TKdriInputs = {
  ageYears: 40,
  heightCm: 170,
  weightKg: 80,
  hypertension: false,
  diabetes: false,
  causeOfDeath: "HEAD_TRAUMA",
  creatinineMgDl: 1,
  hcv: false,
  dcd: false,
};

describe("KDRI", () => {
  const table: { desc: string; input: Partial<TKdriInputs>; want: number }[] = [
    { desc: "reference donor (40 y, 170 cm, 80 kg, creat 1): exp(0) = 1", input: {}, want: 1 },
    {
      desc: "60 y, 165 cm, 70 kg, HTN, stroke, creat 1.8, DCD",
      input: {
        ageYears: 60,
        heightCm: 165,
        weightKg: 70,
        hypertension: true,
        causeOfDeath: "STROKE",
        creatinineMgDl: 1.8,
        dcd: true,
      },
      want: 2.4264,
    },
    {
      desc: "child of 10, 140 cm, 35 kg, creat 0.5 (age < 18 term)",
      input: { ageYears: 10, heightCm: 140, weightKg: 35, creatinineMgDl: 0.5 },
      want: 0.9797,
    },
    {
      desc: "25 y, 180 cm, 90 kg (no weight term ≥ 80 kg), creat 0.8",
      input: { ageYears: 25, heightCm: 180, weightKg: 90, creatinineMgDl: 0.8 },
      want: 0.754,
    },
    {
      desc: "every risk factor, creat 2.0",
      input: {
        ageYears: 55,
        hypertension: true,
        diabetes: true,
        causeOfDeath: "STROKE",
        creatinineMgDl: 2,
        hcv: true,
        dcd: true,
      },
      want: 2.9391,
    },
  ];
  for (const t of table)
    it(t.desc, () => expect(kdriRao({ ...kdriBase, ...t.input }, KDRI)).toBeCloseTo(t.want, 4));

  it("scales by the policy factor and maps to a KDPI percentile", () => {
    const r = kdpi(kdriBase, KDRI);
    expect(r.kdri).toBeCloseTo(1 / 1.4, 6);
    expect(r.kdpi).toBe(15); // bound[14] = 0.7113 < 0.7143 ≤ bound[15] = 0.7211 (synthetic table)
    expect(
      kdpi({ ...kdriBase, ageYears: 70, hcv: true, diabetes: true, creatinineMgDl: 2.5 }, KDRI).kdpi,
    ).toBe(100);
  });
});

describe("percentileFromTable", () => {
  const bounds = Array.from({ length: 100 }, (_, i) => i + 1);
  const table = [
    [0, 0],
    [1, 0],
    [1.01, 1],
    [50, 49],
    [100, 99],
    [100.5, 100],
  ] as const;
  for (const [score, want] of table)
    it(`${score} → ${want}`, () => expect(percentileFromTable(score, bounds)).toBe(want));
});

describe("EPTS raw", () => {
  const table = [
    {
      desc: "25 y, no diabetes, not on dialysis",
      input: { ageYears: 25, diabetes: false, priorTransplant: false, dialysisYears: null },
      want: 0.13,
    },
    {
      desc: "under 25 uses max(age−25, 0)",
      input: { ageYears: 20, diabetes: false, priorTransplant: false, dialysisYears: null },
      want: 0.13,
    },
    {
      desc: "50 y, 3 years on dialysis",
      input: { ageYears: 50, diabetes: false, priorTransplant: false, dialysisYears: 3 },
      want: 1.6117,
    },
    {
      desc: "50 y, diabetic, prior transplant, 3 years on dialysis",
      input: { ageYears: 50, diabetes: true, priorTransplant: true, dialysisYears: 3 },
      want: 2.5224,
    },
    {
      desc: "60 y, diabetic, pre-emptive",
      input: { ageYears: 60, diabetes: true, priorTransplant: false, dialysisYears: null },
      want: 2.164,
    },
    {
      desc: "35 y, prior transplant, dialysis just started",
      input: { ageYears: 35, diabetes: false, priorTransplant: true, dialysisYears: 0 },
      want: 0.868,
    },
  ];
  for (const t of table) it(t.desc, () => expect(eptsRaw(t.input)).toBeCloseTo(t.want, 4));
  it("maps through the (synthetic) EPTS table", () => {
    expect(percentileFromTable(0.13, EPTS.upperBounds)).toBe(1);
    expect(percentileFromTable(1.6117, EPTS.upperBounds)).toBe(34); // bound[33] = 1.6018 < 1.6117 ≤ bound[34] = 1.6235
  });
});

describe("distanceNm", () => {
  const table = [
    { desc: "same point", a: { lat: 52, lon: 4 }, b: { lat: 52, lon: 4 }, want: 0, tol: 1e-9 },
    {
      desc: "one degree of latitude ≈ 60.04 nm",
      a: { lat: 0, lon: 0 },
      b: { lat: 1, lon: 0 },
      want: 60.0405,
      tol: 1e-3,
    },
    { desc: "half the equator", a: { lat: 0, lon: 0 }, b: { lat: 0, lon: 180 }, want: 10807.28, tol: 0.01 },
    {
      desc: "JFK → LAX ≈ 2146 nm",
      a: { lat: 40.6413, lon: -73.7781 },
      b: { lat: 33.9416, lon: -118.4085 },
      want: 2145.97,
      tol: 0.01,
    },
    {
      desc: "LHR → AMS ≈ 200 nm",
      a: { lat: 51.47, lon: -0.4543 },
      b: { lat: 52.3105, lon: 4.7683 },
      want: 199.946,
      tol: 0.01,
    },
    {
      desc: "across the antimeridian",
      a: { lat: 0, lon: 179.5 },
      b: { lat: 0, lon: -179.5 },
      want: 60.0405,
      tol: 1e-3,
    },
  ];
  for (const t of table) {
    it(t.desc, () => {
      expect(Math.abs(distanceNm(t.a, t.b) - t.want)).toBeLessThan(t.tol);
      expect(distanceNm(t.b, t.a)).toBeCloseTo(distanceNm(t.a, t.b), 9);
    });
  }
});

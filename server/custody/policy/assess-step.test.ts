import { describe, expect, it } from "vitest";
import { assessStep, describeExcursion } from "./assess-step";
import { TEMPERATURE_POLICY_V1, temperatureRange, ZTemperaturePolicySchema } from "./temperature-policy";

const clamp = new Date("2026-03-01T08:00:00Z");
const hoursLater = (h: number) => new Date(clamp.getTime() + h * 3_600_000);

describe("temperature policy", () => {
  it.each([
    { organ: "KIDNEY", method: "STATIC_COLD", want: { minC: 0, maxC: 8 } },
    { organ: "KIDNEY", method: "HYPOTHERMIC_MACHINE_PERFUSION", want: { minC: 1, maxC: 10 } },
    { organ: "LIVER", method: "HYPOTHERMIC_MACHINE_PERFUSION", want: { minC: 4, maxC: 12 } },
    { organ: "LIVER", method: "NORMOTHERMIC_MACHINE_PERFUSION", want: { minC: 35, maxC: 38 } },
    { organ: "HEART", method: "NORMOTHERMIC_MACHINE_PERFUSION", want: { minC: 32, maxC: 37 } },
  ] as const)("$organ kept by $method stays within $want.minC–$want.maxC °C", ({ organ, method, want }) => {
    expect(temperatureRange(organ, method)).toEqual(want);
  });

  it("refuses a range whose minimum is not below its maximum", () => {
    const bad = {
      ...TEMPERATURE_POLICY_V1,
      ranges: { ...TEMPERATURE_POLICY_V1.ranges, STATIC_COLD: { minC: 8, maxC: 0 } },
    };
    expect(ZTemperaturePolicySchema.safeParse(bad).success).toBe(false);
  });
});

describe("assessStep", () => {
  const base = {
    organType: "KIDNEY",
    preservation: "STATIC_COLD" as const,
    temperaturesC: [] as number[],
    at: hoursLater(2),
    coldIschemiaStartedAt: clamp,
  };
  it.each([
    { desc: "4 °C in cold storage is fine", temps: [4], want: [] },
    { desc: "the range's bounds are inside it", temps: [0, 8], want: [] },
    { desc: "40 °C in cold storage is an excursion", temps: [40], want: ["TEMPERATURE_HIGH"] },
    { desc: "−1 °C in cold storage is an excursion", temps: [-1], want: ["TEMPERATURE_LOW"] },
    {
      desc: "each reading out of range counts",
      temps: [9, 3, -2],
      want: ["TEMPERATURE_HIGH", "TEMPERATURE_LOW"],
    },
  ])("$desc", ({ temps, want }) => {
    expect(assessStep({ ...base, temperaturesC: temps }).map((x) => x.code)).toEqual(want);
  });

  it("judges 37 °C by the method: fine on normothermic perfusion, an excursion in cold storage", () => {
    expect(
      assessStep({
        ...base,
        organType: "LIVER",
        preservation: "NORMOTHERMIC_MACHINE_PERFUSION",
        temperaturesC: [37],
      }),
    ).toEqual([]);
    const [x] = assessStep({ ...base, organType: "LIVER", temperaturesC: [37] });
    expect(x).toMatchObject({
      code: "TEMPERATURE_HIGH",
      severity: "escalate",
      rangeC: { minC: 0, maxC: 8 },
      policy: "custody-temperature@1",
    });
  });

  it.each([
    { hours: 26, want: [] }, // kidney limit 36 h: 72 %
    { hours: 27, want: ["ISCHEMIA_WARNING"] }, // 75 %
    { hours: 33, want: ["ISCHEMIA_CRITICAL"] }, // 91.7 %
    { hours: 37, want: ["ISCHEMIA_EXCEEDED"] },
  ])("a kidney step $hours h after cross-clamp: $want", ({ hours, want }) => {
    expect(assessStep({ ...base, at: hoursLater(hours) }).map((x) => x.code)).toEqual(want);
  });

  it("has no ischemia flag before cross-clamp or after reperfusion", () => {
    expect(assessStep({ ...base, at: hoursLater(40), coldIschemiaStartedAt: null })).toEqual([]);
    expect(assessStep({ ...base, at: hoursLater(40), coldIschemiaEndedAt: hoursLater(20) })).toEqual([]);
  });

  it("says what is wrong in words", () => {
    const [x] = assessStep({ ...base, temperaturesC: [40] });
    expect(x && describeExcursion(x, "KIDNEY")).toBe(
      "Temperature excursion: 40 °C is above the 0–8 °C range for static cold storage of a kidney.",
    );
  });
});

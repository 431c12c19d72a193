import { describe, expect, it } from "vitest";
import { describeCustodyDetails } from "./step-details";

const names: Record<string, string> = { u1: "Sam Courier", o1: "SwiftMed Couriers" };
const describe_ = (details: Record<string, unknown>) =>
  describeCustodyDetails({
    details,
    organType: "KIDNEY",
    nameOf: (id) => names[id] ?? null,
    formatTime: (iso) => `T(${iso})`,
  });

describe("describeCustodyDetails", () => {
  it("names the receiver of a hand-off instead of showing ids", () => {
    expect(describe_({ toUserId: "u1", toOrgId: "o1" }).facts).toEqual([
      { label: "Handed to", value: "Sam Courier, SwiftMed Couriers" },
    ]);
  });

  it("gives place, temperature, preservation, device and arrival in words", () => {
    const { facts } = describe_({
      location: { lat: 51.5, lon: -0.12, label: "Heathrow cargo" },
      temperatureC: 4,
      preservation: "HYPOTHERMIC_MACHINE_PERFUSION",
      deviceReading: { deviceId: "LP-7", temperatureC: 5, flowMlMin: 80 },
      etaAt: "2026-03-01T10:00:00.000Z",
    });
    expect(facts).toEqual([
      { label: "Place", value: "Heathrow cargo" },
      { label: "Temperature", value: "4 °C" },
      { label: "Preservation", value: "hypothermic machine perfusion" },
      { label: "Device", value: "LP-7, 5 °C, 80 mL/min" },
      { label: "Expected arrival", value: "T(2026-03-01T10:00:00.000Z)" },
    ]);
  });

  it("lists the excursions recorded with the step", () => {
    const r = describe_({
      temperatureC: 40,
      excursions: [
        {
          code: "TEMPERATURE_HIGH",
          severity: "escalate",
          temperatureC: 40,
          rangeC: { minC: 0, maxC: 8 },
          preservation: "STATIC_COLD",
          policy: "custody-temperature@1",
        },
      ],
    });
    expect(r.excursions).toEqual([
      "Temperature excursion: 40 °C is above the 0–8 °C range for static cold storage of a kidney.",
    ]);
  });
});

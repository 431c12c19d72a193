import { describe, expect, it } from "vitest";
import { DEFAULT_PREFERENCES, readPreferences, ZUserPreferencesSchema } from "./preferences-schema";

describe("user preferences", () => {
  it.each([
    { desc: "nothing stored", stored: null, want: DEFAULT_PREFERENCES },
    {
      desc: "a partial record keeps the rest default",
      stored: { creatinineUnit: "µmol/L" },
      want: { ...DEFAULT_PREFERENCES, creatinineUnit: "µmol/L" },
    },
    {
      desc: "a bad field falls back alone",
      stored: { timeZone: "Mars/Olympus", alerts: { sound: false, desktop: true } },
      want: { ...DEFAULT_PREFERENCES, alerts: { sound: false, desktop: true } },
    },
  ])("$desc", ({ stored, want }) => {
    expect(readPreferences(stored)).toEqual(want);
  });

  it("refuses an unknown time zone or unit naming the field", () => {
    const r = ZUserPreferencesSchema.safeParse({ timeZone: "Nowhere/City", creatinineUnit: "mmol" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message).join(" ")).toMatch(
      /timeZone.*creatinineUnit|creatinineUnit.*timeZone/,
    );
  });

  it("defaults: sound on, desktop notifications off until asked, mg/dL, UTC", () => {
    expect(DEFAULT_PREFERENCES).toEqual({
      alerts: { sound: true, desktop: false },
      creatinineUnit: "mg/dL",
      timeZone: "UTC",
    });
  });
});

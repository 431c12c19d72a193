import { describe, expect, it } from "vitest";
import { buildDin, mod37_2, parseDin } from "./isbt-din";

// Reference check characters computed by hand with the ISO 7064 MOD 37-2 recursion
// P = ((P + v) * 2) mod 37, check = (38 − P) mod 37.
describe("ISO 7064 MOD 37-2", () => {
  const table = [
    { desc: "all zeros", input: "0000000000000", want: "1" },
    { desc: "single 1", input: "1", want: "*" },
    { desc: "single A (10)", input: "A", want: "I" },
    { desc: "two digits: ((1·2)+2)·2 = 8, 38 − 8 = 30", input: "12", want: "U" },
  ];
  for (const { desc, input, want } of table) {
    it(desc, () => expect(mod37_2(input)).toBe(want));
  }

  it("detects every single-character substitution in a DIN", () => {
    const { din, check } = buildDin({ facility: "W0001", year: 2026, sequence: 123456 });
    const alphabet = "0123456789";
    for (let i = 5; i < 13; i++) {
      for (const c of alphabet) {
        if (c === din[i]) continue;
        const altered = din.slice(0, i) + c + din.slice(i + 1);
        expect(mod37_2(altered)).not.toBe(check);
      }
    }
  });

  it("detects every swap of adjacent different characters", () => {
    const { din, check } = buildDin({ facility: "T0001", year: 26, sequence: 987120 });
    for (let i = 0; i < 12; i++) {
      if (din[i] === din[i + 1]) continue;
      const swapped = din.slice(0, i) + din[i + 1] + din[i] + din.slice(i + 2);
      expect(mod37_2(swapped)).not.toBe(check);
    }
  });
});

describe("DINs", () => {
  it("builds facility + year + sequence with its check character", () => {
    const { din, check } = buildDin({ facility: "w0001", year: 2026, sequence: 42 });
    expect(din).toBe("W000126000042");
    expect(parseDin(`${din.slice(0, 5)} ${din.slice(5, 7)} ${din.slice(7)} ${check}`)).toEqual({
      ok: true,
      din,
      check,
    });
  });

  it("refuses bad facility codes and sequences, naming the rule", () => {
    expect(() => buildDin({ facility: "O1234", year: 26, sequence: 1 })).toThrow(/facility code/);
    expect(() => buildDin({ facility: "W0001", year: 26, sequence: 1_000_000 })).toThrow(/sequence/);
  });

  it("refuses a mistyped check character", () => {
    const { din, check } = buildDin({ facility: "C0101", year: 26, sequence: 5 });
    const wrong = check === "A" ? "B" : "A";
    const r = parseDin(din + wrong);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/does not match/);
  });
});

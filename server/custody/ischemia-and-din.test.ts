import { describe, expect, it } from "vitest";
import {
  buildDonationIdentificationNumber,
  mod37_2CheckCharacter,
  nextDinSequences,
  validateDonationIdentificationNumber,
} from "./donation-identification-number";
import { ischemiaClock } from "./ischemia-clock";

const start = new Date("2026-03-01T10:00:00Z");
const plus = (min: number) => new Date(start.getTime() + min * 60_000);

describe("ischemiaClock", () => {
  const table = [
    { desc: "heart at 2 h of 6 h", organType: "HEART", min: 120, left: 240, pct: 33.33, level: "OK" },
    {
      desc: "heart at 4 h 30 = 75 %: warning",
      organType: "HEART",
      min: 270,
      left: 90,
      pct: 75,
      level: "WARNING",
    },
    {
      desc: "heart at 5 h 24 = 90 %: critical",
      organType: "HEART",
      min: 324,
      left: 36,
      pct: 90,
      level: "CRITICAL",
    },
    {
      desc: "heart past 6 h: exceeded",
      organType: "HEART",
      min: 400,
      left: -40,
      pct: 111.11,
      level: "EXCEEDED",
    },
    { desc: "kidney at 12 h of 36 h", organType: "KIDNEY", min: 720, left: 1440, pct: 33.33, level: "OK" },
    { desc: "liver at 9 h of 12 h", organType: "LIVER", min: 540, left: 180, pct: 75, level: "WARNING" },
    { desc: "lung at 7 h 59 of 8 h", organType: "LUNG", min: 479, left: 1, pct: 99.79, level: "CRITICAL" },
    { desc: "pancreas at 0", organType: "PANCREAS", min: 0, left: 1080, pct: 0, level: "OK" },
  ];
  for (const t of table) {
    it(t.desc, () => {
      const c = ischemiaClock({ organType: t.organType, startedAt: start, now: plus(t.min) });
      expect(c.remainingMinutes).toBeCloseTo(t.left, 6);
      expect(c.percentUsed).toBeCloseTo(t.pct, 2);
      expect(c.level).toBe(t.level);
    });
  }
  it("compares the estimated arrival with the time left", () => {
    const c = ischemiaClock({
      organType: "HEART",
      startedAt: start,
      now: plus(120),
      estimatedArrivalAt: plus(330),
    });
    expect(c.arrival).toEqual({
      minutesUntilArrival: 210,
      percentUsedAtArrival: 91.66666666666666,
      marginMinutes: 30,
      levelAtArrival: "CRITICAL",
    });
    const late = ischemiaClock({
      organType: "HEART",
      startedAt: start,
      now: plus(120),
      estimatedArrivalAt: plus(390),
    });
    expect(late.arrival?.marginMinutes).toBe(-30);
    expect(late.arrival?.levelAtArrival).toBe("EXCEEDED");
  });
  it("stops at reperfusion", () => {
    const c = ischemiaClock({
      organType: "KIDNEY",
      startedAt: start,
      endedAt: plus(600),
      now: plus(5000),
      estimatedArrivalAt: plus(700),
    });
    expect(c).toMatchObject({ elapsedMinutes: 600, stopped: true, level: "OK", arrival: null });
  });
});

// Published check characters (ICCBBA documents, NHSBT Red Book annex 2), confirmed by recomputation
// with the recursion and independently with Σ value·2^i ≡ 1 (mod 37) over the DIN and its check.
describe("ISO 7064 MOD 37-2 check character", () => {
  const table = [
    ["W000015123456", "D", "DOMAIN example W0000 15 123456 (computed, two methods agree)"],
    ["G123498654321", "H", "NHSBT Red Book annex 2"],
    ["A999914123456", "N", "ICCBBA DIN guidance"],
    ["G123417654321", "A", "ICCBBA 'Use of the DIN'"],
    ["A999917123456", "9", "ICCBBA 'Use of the DIN' fig. 1"],
    ["A999916123456", "Q", "ICCBBA introduction to ISBT 128"],
    ["A999922012346", "*", "check value 36 is written *"],
    ["0", "1", "hand: P = 0, (38 − 0) mod 37 = 1"],
    ["1", "*", "hand: P = 2, 36 → *"],
    ["12", "U", "hand: P = ((1·2)+2)·2 = 8, 30 → U"],
    ["A", "I", "hand: P = 20, 18 → I"],
  ] as const;
  for (const [data, want, source] of table)
    it(`${data} → ${want} (${source})`, () => expect(mod37_2CheckCharacter(data)).toBe(want));

  it("detects every single substitution and adjacent transposition in a DIN", () => {
    const base = "W000015123456";
    const check = mod37_2CheckCharacter(base);
    const chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (let i = 0; i < base.length; i++) {
      for (const c of chars)
        if (c !== base[i])
          expect(mod37_2CheckCharacter(base.slice(0, i) + c + base.slice(i + 1))).not.toBe(check);
      if (i < base.length - 1 && base[i] !== base[i + 1]) {
        expect(mod37_2CheckCharacter(base.slice(0, i) + base[i + 1] + base[i] + base.slice(i + 2))).not.toBe(
          check,
        );
      }
    }
  });
});

describe("Donation Identification Numbers", () => {
  it("builds facility + year + sequence with its check character", () => {
    expect(buildDonationIdentificationNumber({ facility: "w0000", year: 2015, sequence: 123456 })).toEqual({
      din: "W000015123456",
      checkCharacter: "D",
      eyeReadable: "W0000 15 123456 D",
    });
  });
  const bad = [
    [{ facility: "O1234", year: 26, sequence: 1 }, /Facility code/],
    [{ facility: "W12", year: 26, sequence: 1 }, /Facility code/],
    [{ facility: "W0000", year: 26, sequence: 1_000_000 }, /Sequence/],
    [{ facility: "W0000", year: -1, sequence: 1 }, /Year/],
  ] as const;
  for (const [input, message] of bad)
    it(`refuses ${JSON.stringify(input)}`, () =>
      expect(() => buildDonationIdentificationNumber(input)).toThrow(message));

  const validations = [
    ["W0000 15 123456 D", true, ""],
    ["=W000015123456", true, ""],
    ["g123498654321h", true, ""],
    ["W000015123456E", false, "Check character E does not match"],
    ["W00001512345", false, "13 characters"],
    ["O000015123456", false, "facility code"],
    ["W0000AB123456", false, "2-digit year"],
  ] as const;
  for (const [input, ok, message] of validations) {
    it(`validates ${JSON.stringify(input)}`, () => {
      const r = validateDonationIdentificationNumber(input);
      expect(r.ok).toBe(ok);
      if (!r.ok) expect(r.message).toContain(message);
    });
  }
});

describe("DIN sequence allocation", () => {
  it("runs on from the highest number used this year", () => {
    expect(nextDinSequences(new Set(), 3)).toEqual([1, 2, 3]);
    expect(nextDinSequences(new Set([4, 9, 2]), 2)).toEqual([10, 11]);
  });

  it("past 999999 takes the lowest free numbers", () => {
    expect(nextDinSequences(new Set([999_998, 1, 2]), 3)).toEqual([999_999, 3, 4]);
  });

  it("says when the year has too few numbers left", () => {
    const used = new Set<number>();
    for (let n = 2; n <= 999_999; n++) used.add(n);
    expect(nextDinSequences(used, 1)).toEqual([1]);
    expect(nextDinSequences(used, 2)).toBeNull();
    used.add(1);
    expect(nextDinSequences(used, 1)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { ET_NOW, etCandidate, etDonor, etRank, pointsOf, yearsTo } from "@/test/matching/eurotransplant";
import { findAllocationPolicy } from ".";
import type { TAllocationAttribute } from "./policy-schema";

/**
 * ETKAS as the Eurotransplant ETKidney simulator encodes it (CurrentETKAS_actual.yml), one table per
 * rule of issue #16, each expected value worked by hand from the published points:
 * HLA 400 − 66.66666 per A or B mismatch − 66.66667 per DR mismatch (the same again for paediatric
 * candidates), 33.333333 per year on dialysis, the mismatch probability, 30 × national balance,
 * 1 × regional balance, local 300, national 100, paediatric 100, high urgency 500; total rounded.
 * Default candidate against default donor: 1 mismatch at each of A, B, DR; cPRA 100 → MMP 100.
 */
const ETKAS = "eurotransplant-etkas";
const DIAL = 33.333333;
const HLA_3MM = 400 - 2 * 66.66666 - 66.66667;
const dialysis2024 = yearsTo("2024-01-01T00:00:00Z") * DIAL;

describe("ETKAS points: HLA, dialysis, MMP, distance, paediatric (doubled HLA), high urgency (rules 4, 5)", () => {
  const donor = etDonor();
  const cases: { id: string; o: Parameters<typeof etCandidate>[0]; want: Record<string, number> }[] = [
    {
      id: "adult",
      o: { id: "adult" },
      want: { hla: HLA_3MM, "hla-paediatric": 0, dialysis: dialysis2024, distance: 300, paediatric: 0 },
    },
    {
      id: "child",
      o: { id: "child", dateOfBirth: "2016-03-01", listedAt: "2024-01-01T00:00:00Z" },
      want: { hla: HLA_3MM, "hla-paediatric": HLA_3MM, paediatric: 100 },
    },
    {
      // 18.6 now, listed at 16.6 in the Netherlands: paediatric (listed under 18 outside Germany).
      id: "listed-young-nl",
      o: { id: "listed-young-nl", dateOfBirth: "2007-06-01" },
      want: { "hla-paediatric": HLA_3MM, paediatric: 100 },
    },
    {
      id: "listed-young-de",
      o: {
        id: "listed-young-de",
        dateOfBirth: "2007-06-01",
        country: "DE",
        region: "GND",
        centreId: "GHOTP",
      },
      want: { "hla-paediatric": 0, paediatric: 0, distance: 0 },
    },
    {
      id: "zero-hla",
      o: { id: "zero-hla", hla: { A: ["A9", "A10"], B: ["B12", "B13"], DR: ["DR1", "DR4"] } },
      want: { hla: 0 },
    },
    { id: "urgent", o: { id: "urgent", urgency: { highUrgency: true } }, want: { "high-urgency": 500 } },
    { id: "no-dialysis", o: { id: "no-dialysis", dialysisStartedAt: null }, want: { dialysis: 0 } },
  ];
  const r = etRank(
    ETKAS,
    donor,
    cases.map((c) => etCandidate(c.o)),
  );
  it.each(cases)("$id", ({ id, want }) => {
    const p = pointsOf(r, id);
    for (const [group, pts] of Object.entries(want)) expect(p.by[group] ?? 0, group).toBeCloseTo(pts, 4);
    expect(p.by["mismatch-probability"]).toBe(100);
    const exact = Object.entries(p.by).reduce((s, [k, v]) => (k === "rounding" ? s : s + v), 0);
    expect(p.score).toBe(Math.floor(exact + 0.5));
    expect(Number.isInteger(p.score)).toBe(true);
  });
  it("adds up the adult row by hand: 200 + 66.71 + 100 + 300 = 666.71 → 667", () => {
    expect(HLA_3MM + dialysis2024 + 100 + 300).toBeCloseTo(666.712, 2);
    expect(pointsOf(r, "adult").score).toBe(667);
  });
});

describe("ETKAS rule 12: local is the country in NL, HU, HR, SI and the region in AT, BE, DE", () => {
  const cases = [
    { donor: ["NL", "NL-S"], cand: ["NL", "NL-N"], local: 300, national: 0 },
    { donor: ["HU", "HU-1"], cand: ["HU", "HU-2"], local: 300, national: 0 },
    { donor: ["HR", "HR-1"], cand: ["HR", "HR-2"], local: 300, national: 0 },
    { donor: ["SI", "SLO"], cand: ["SI", "SLO-2"], local: 300, national: 0 },
    { donor: ["AT", "Vienna"], cand: ["AT", "Vienna"], local: 300, national: 0 },
    { donor: ["AT", "Vienna"], cand: ["AT", "AIB"], local: 0, national: 100 },
    { donor: ["BE", "Bel_1"], cand: ["BE", "Bel_1"], local: 300, national: 0 },
    { donor: ["BE", "Bel_1"], cand: ["BE", "Bel_2"], local: 0, national: 100 },
    { donor: ["DE", "GNW"], cand: ["DE", "GNW"], local: 300, national: 0 },
    { donor: ["DE", "GNW"], cand: ["DE", "GBY"], local: 0, national: 100 },
    { donor: ["DE", "GNW"], cand: ["NL", "NL"], local: 0, national: 0 },
  ];
  it.each(cases)("donor $donor, candidate $cand", ({ donor, cand, local, national }) => {
    const d = etDonor({ country: donor[0], region: donor[1] });
    const r = etRank(ETKAS, d, [etCandidate({ id: "c", country: cand[0], region: cand[1] })]);
    expect(pointsOf(r, "c").by.distance).toBe(local + national);
  });
});

describe("ETKAS rule 6: national balance per donor-age group, Austria's regional balance, as an input", () => {
  // Net imports in the donor's age group: DE +10 is the largest, so NL earns 10 − (−5) = 15 × 30.
  const balance = { group: "18-49", national: { NL: -5, DE: 10, AT: 3 }, regional: {} };
  const cases = [
    { country: "NL", region: "NL", want: 15 * 30 },
    { country: "DE", region: "GNW", want: 0 },
    { country: "AT", region: "Vienna", want: 7 * 30 },
    { country: "BE", region: "Bel_1", want: 10 * 30 },
    { country: "LU", region: "LU", want: 10 * 30 },
  ];
  const d = etDonor({ balance });
  const r = etRank(
    ETKAS,
    d,
    cases.map((c) => etCandidate({ id: c.country, country: c.country, region: c.region })),
  );
  it.each(cases)("$country", ({ country, want }) => {
    expect(pointsOf(r, country).by["national-balance"]).toBeCloseTo(want, 6);
  });

  // Austria: centres' net balances 2, −4, 5 → each is expected 3 / 3 = 1; points = 1 − own.
  const atDonor = etDonor({
    country: "AT",
    region: "Vienna",
    balance: { group: "18-49", national: { AT: 3 }, regional: { AWGTP: 2, AIBTP: -4, AGATP: 5 } },
  });
  const regional = [
    { centreId: "AWGTP", country: "AT", want: -1 },
    { centreId: "AIBTP", country: "AT", want: 5 },
    { centreId: "AGATP", country: "AT", want: -4 },
    { centreId: "AOETP", country: "AT", want: 0 },
    { centreId: "AWGTP", country: "DE", want: 0 },
  ];
  const rr = etRank(
    ETKAS,
    atDonor,
    regional.map((c, i) =>
      etCandidate({
        id: `r${i}`,
        centreId: c.centreId,
        country: c.country,
        region: c.country === "AT" ? "Vienna" : "GNW",
      }),
    ),
  );
  it.each(regional.map((c, i) => ({ ...c, i })))("regional: centre $centreId in $country", ({ i, want }) => {
    expect(pointsOf(rr, `r${i}`).by["regional-balance"]).toBeCloseTo(want, 6);
  });
  it("without a balance input there are no balance points", () => {
    const p = pointsOf(etRank(ETKAS, etDonor(), [etCandidate({ id: "x" })]), "x");
    expect(p.by["national-balance"]).toBe(0);
  });
});

describe("ETKAS rule 8: returned dialysis time for re-transplants re-listed within a year", () => {
  // 3 years accrued at the failed transplant on 2023-01-01; share returned by days to dialysis.
  const cases = [
    { days: 60, fraction: 1 },
    { days: 91, fraction: 1 },
    { days: 150, fraction: 0.75 },
    { days: 200, fraction: 0.5 },
    { days: 300, fraction: 0.25 },
    { days: 365, fraction: 0.25 },
    { days: 400, fraction: 0 },
  ];
  const d = etDonor();
  const base = Date.parse("2023-01-01T00:00:00Z");
  const r = etRank(
    ETKAS,
    d,
    cases.map((c) =>
      etCandidate({
        id: `d${c.days}`,
        dialysisStartedAt: null,
        priorTransplants: 1,
        retransplant: {
          accruedDialysisYears: 3,
          transplantedAt: new Date(base).toISOString(),
          dialysisResumedAt: new Date(base + c.days * 86_400_000).toISOString(),
        },
      }),
    ),
  );
  it.each(cases)("$days days → $fraction of 3 years", ({ days, fraction }) => {
    expect(pointsOf(r, `d${days}`).by.dialysis).toBeCloseTo(3 * fraction * DIAL, 6);
  });
});

describe("ETKAS rule 1: blood group identical for every donor group, no zero-mismatch exception", () => {
  const groups = ["O", "A", "B", "AB"] as const;
  it.each(groups)("donor %s goes to its own group only", (g) => {
    const d = etDonor({ abo: g });
    // Every candidate is a zero mismatch (the donor's own typing): the exception US policy makes.
    const r = etRank(
      ETKAS,
      d,
      groups.map((abo) =>
        etCandidate({ id: abo, abo, hla: { A: ["A1", "A2"], B: ["B7", "B8"], DR: ["DR15", "DR17"] } }),
      ),
    );
    expect(r.ranked.map((x) => x.candidateId)).toEqual([g]);
    for (const x of r.excluded) expect(["ABO_INCOMPATIBLE", "ABO_IDENTICAL_ONLY"]).toContain(x.code);
  });
});

describe("ETKAS rule 3: zero mismatch first, by the candidate's homozygosity when the donor is homozygous; then paediatric to paediatric", () => {
  it("homozygous donor: D3 > D2 > D1 > D0 above any points, then the rest", () => {
    const d = etDonor({ hla: { A: ["A2"], B: ["B7"], C: [], DR: ["DR15"], DQ: [], DP: [] } });
    const r = etRank(ETKAS, d, [
      etCandidate({ id: "rest-urgent", urgency: { highUrgency: true } }),
      etCandidate({ id: "d0", hla: { A: ["A2", "A1"], B: ["B7", "B8"], DR: ["DR15", "DR4"] } }),
      etCandidate({ id: "d1", hla: { A: ["A2", "A1"], B: ["B7", "B8"], DR: ["DR15"] } }),
      etCandidate({ id: "d2", hla: { A: ["A2", "A1"], B: ["B7"], DR: ["DR15"] } }),
      etCandidate({ id: "d3", hla: { A: ["A2"], B: ["B7"], DR: ["DR15"] } }),
    ]);
    expect(r.ranked.map((x) => [x.candidateId, x.tier?.id ?? null])).toEqual([
      ["d3", "D3"],
      ["d2", "D2"],
      ["d1", "D1"],
      ["d0", "D0"],
      ["rest-urgent", null],
    ]);
  });
  it("heterozygous donor: every zero mismatch is D0, ordered by points", () => {
    const r = etRank(ETKAS, etDonor(), [
      etCandidate({ id: "zero-homo", hla: { A: ["A1", "A2"], B: ["B7", "B8"], DR: ["DR15", "DR18"] } }),
      etCandidate({
        id: "zero-longer",
        hla: { A: ["A1", "A2"], B: ["B7", "B8"], DR: ["DR15", "DR3"] },
        dialysisStartedAt: "2020-01-01T00:00:00Z",
      }),
    ]);
    expect(r.ranked.map((x) => [x.candidateId, x.tier?.id])).toEqual([
      ["zero-longer", "D0"],
      ["zero-homo", "D0"],
    ]);
  });
  it("paediatric donor: paediatric candidates (C) above adults with more points", () => {
    const d = etDonor({ ageYears: 12 });
    const r = etRank(ETKAS, d, [
      etCandidate({ id: "adult-urgent", urgency: { highUrgency: true } }),
      etCandidate({ id: "child", dateOfBirth: "2015-01-01", dialysisStartedAt: null }),
    ]);
    expect(r.ranked.map((x) => [x.candidateId, x.tier?.id ?? null])).toEqual([
      ["child", "C"],
      ["adult-urgent", null],
    ]);
    const adultDonor = etRank(ETKAS, etDonor({ ageYears: 18 }), [
      etCandidate({ id: "adult-urgent", urgency: { highUrgency: true } }),
      etCandidate({ id: "child", dateOfBirth: "2015-01-01", dialysisStartedAt: null }),
    ]);
    expect(adultDonor.ranked.map((x) => x.candidateId)).toEqual(["adult-urgent", "child"]);
  });
});

describe("ETKAS rule 9: eligibility filters", () => {
  const cases: {
    id: string;
    o: Omit<Parameters<typeof etCandidate>[0], "id">;
    dcd?: boolean;
    code: string | null;
  }[] = [
    { id: "am", o: { acceptableMismatchProgramme: true }, code: "NOT_ELIGIBLE" },
    { id: "am-off", o: { acceptableMismatchProgramme: false }, code: null },
    { id: "screening-old", o: { antibodyScreenedAt: "2025-09-01T00:00:00Z" }, code: "NOT_ELIGIBLE" },
    { id: "screening-90d", o: { antibodyScreenedAt: "2025-10-03T00:00:00Z" }, code: null },
    { id: "screening-none", o: { antibodyScreenedAt: undefined }, code: "MISSING_DATA" },
    {
      id: "de-66-esp",
      o: { country: "DE", region: "GNW", dateOfBirth: "1959-06-01", kidneyProgramme: "ESP" },
      code: "NOT_ELIGIBLE",
    },
    {
      id: "de-66-etkas",
      o: { country: "DE", region: "GNW", dateOfBirth: "1959-06-01", kidneyProgramme: "ETKAS" },
      code: null,
    },
    { id: "nl-66-esp", o: { dateOfBirth: "1959-06-01", kidneyProgramme: "ESP" }, code: null },
    {
      id: "de-60-esp",
      o: { country: "DE", region: "GNW", dateOfBirth: "1965-06-01", kidneyProgramme: "ESP" },
      code: null,
    },
    { id: "dcd-nl", o: {}, dcd: true, code: null },
    { id: "dcd-at", o: { country: "AT", region: "Vienna" }, dcd: true, code: null },
    { id: "dcd-be", o: { country: "BE", region: "Bel_1" }, dcd: true, code: null },
    { id: "dcd-de", o: { country: "DE", region: "GNW" }, dcd: true, code: "NOT_ELIGIBLE" },
    { id: "dcd-hu", o: { country: "HU", region: "HU" }, dcd: true, code: "NOT_ELIGIBLE" },
    { id: "dbd-de", o: { country: "DE", region: "GNW" }, dcd: false, code: null },
  ];
  it.each(cases)("$id → $code", ({ id, o, dcd, code }) => {
    const r = etRank(ETKAS, etDonor({ dcd: dcd ?? false }), [etCandidate({ id, ...o })]);
    const ex = r.excluded.find((x) => x.candidateId === id);
    expect(ex?.code ?? null).toBe(code);
    if (ex) expect(ex.message.length).toBeGreaterThan(20);
  });
});

describe("ETKAS rule 11: ties broken by fewer mismatches, then longer on dialysis (not listing date)", () => {
  it("equal rounded points: the candidate with fewer mismatches first, although its exact total is lower", () => {
    // 2 mismatches + 2.0 years on dialysis: 266.67 + 66.71 + 100 + 300 = 733.38 → 733;
    // 1 mismatch, no dialysis: 333.33 + 0 + 100 + 300 = 733.33 → 733.
    const r = etRank(ETKAS, etDonor(), [
      etCandidate({ id: "two-mm", hla: { A: ["A1", "A2"], B: ["B7", "B35"], DR: ["DR15", "DR4"] } }),
      etCandidate({
        id: "one-mm",
        hla: { A: ["A1", "A2"], B: ["B7", "B8"], DR: ["DR15", "DR4"] },
        dialysisStartedAt: null,
        listedAt: "2025-06-01T00:00:00Z",
      }),
    ]);
    expect(r.ranked.map((x) => [x.candidateId, x.score])).toEqual([
      ["one-mm", 733],
      ["two-mm", 733],
    ]);
  });
  it("equal points and mismatches: longer on dialysis first, though listed later", () => {
    // 7 days (0.64 points) and 4 days (0.37) of dialysis both round 733.33 + x to 734.
    const r = etRank(ETKAS, etDonor(), [
      etCandidate({
        id: "four-days",
        hla: { A: ["A1", "A2"], B: ["B7", "B8"], DR: ["DR15", "DR4"] },
        dialysisStartedAt: "2025-12-28T00:00:00Z",
        listedAt: "2024-01-01T00:00:00Z",
      }),
      etCandidate({
        id: "seven-days",
        hla: { A: ["A1", "A2"], B: ["B7", "B8"], DR: ["DR15", "DR4"] },
        dialysisStartedAt: "2025-12-25T00:00:00Z",
        listedAt: "2025-06-01T00:00:00Z",
      }),
    ]);
    expect(r.ranked.map((x) => [x.candidateId, x.score])).toEqual([
      ["seven-days", 734],
      ["four-days", 734],
    ]);
  });
  it("is evaluated at the stated date", () => {
    expect(ET_NOW.toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });
});

describe("ETKAS points terms, cross-checked with the simulator's scoring function", () => {
  // Match records scored by the ETKidney simulator's MatchPointFunction.calc_score with the points
  // of CurrentETKAS_actual.yml (its own code, run on these values): 662, 862 and 703.
  const policy = findAllocationPolicy(ETKAS);
  const score = (v: Partial<Record<TAllocationAttribute, number>>) => {
    let s = 0;
    for (const t of policy?.points ?? []) s += t.attributes.reduce((x, a) => x * (v[a] ?? 0), t.coefficient);
    return Math.floor(s + 0.5);
  };
  const cases: { v: Partial<Record<TAllocationAttribute, number>>; simulator: number }[] = [
    {
      v: {
        dialysisYears: 2.5,
        hlaMismatchesA: 1,
        hlaMismatchesDR: 1,
        etMismatchProbability: 12.3456,
        isLocal: 1,
      },
      simulator: 662,
    },
    {
      v: {
        dialysisYears: 0.75,
        returnedDialysisYears: 1.5,
        hlaMismatchesA: 2,
        hlaMismatchesB: 1,
        paediatric: 1,
        etMismatchProbability: 99.9,
        nationalBalance: 3,
        regionalBalance: -2.5,
        isNational: 1,
      },
      simulator: 862,
    },
    {
      v: { dialysisYears: 6.1, hlaMismatchesA: 2, hlaMismatchesB: 2, hlaMismatchesDR: 2, highUrgency: 1 },
      simulator: 703,
    },
  ];
  it.each(cases)("→ $simulator", ({ v, simulator }) => {
    expect(score(v)).toBe(simulator);
  });
});

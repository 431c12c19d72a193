import { describe, expect, it } from "vitest";
import { etCandidate, etDonor, etRank, pointsOf, yearsTo } from "@/test/matching/eurotransplant";
import { choosePolicy } from ".";

/**
 * The Eurotransplant Senior Program (issue #16 rule 10) as the ETKidney simulator encodes it
 * (2021_ESP_match_tiers.yml, MatchRecordESP): candidates of 65 and over, the donor country's tiers,
 * only A–D offered, high urgency first within a tier, then 33.333333 points per year on dialysis.
 */
const ESP = "eurotransplant-esp";
const senior = { dateOfBirth: "1958-01-01" };

describe("programme: ETKAS for donors under 65, ESP for 65 and over", () => {
  it.each([
    [64, "eurotransplant-etkas"],
    [65, "eurotransplant-esp"],
    [80, "eurotransplant-esp"],
  ])("donor %i → %s", (ageYears, id) => {
    expect(choosePolicy("eurotransplant-kidney", { ageYears, kdpi: 50 })?.id).toBe(id);
  });
  it("a policy id is itself", () => {
    expect(choosePolicy("etkas-kidney", { ageYears: 70, kdpi: 50 })?.version).toBe(1);
    expect(choosePolicy("no-such", { ageYears: 70, kdpi: 50 })).toBeNull();
  });
});

describe("ESP tiers by donor country (A–D offered, E–I not)", () => {
  const cases: {
    donor: { country: string; region: string; allocationCentreId?: string; espSubregion?: string };
    cand: {
      country: string;
      region: string;
      centreId: string;
      espSubregion?: string;
      kidneyProgramme?: "ESP" | "ETKAS";
    };
    tier: string | null;
  }[] = [
    {
      donor: { country: "AT", region: "Vienna", allocationCentreId: "AWGTP" },
      cand: { country: "AT", region: "Vienna", centreId: "AWGTP" },
      tier: "A",
    },
    {
      donor: { country: "AT", region: "Vienna", allocationCentreId: "AWGTP" },
      cand: { country: "AT", region: "Vienna", centreId: "AKTTP" },
      tier: "F",
    },
    {
      donor: { country: "AT", region: "Vienna", allocationCentreId: "AWGTP" },
      cand: { country: "DE", region: "GBY", centreId: "GMLTP" },
      tier: "H",
    },
    {
      donor: { country: "BE", region: "Bel_2", allocationCentreId: "BLMTP" },
      cand: { country: "BE", region: "Bel_2", centreId: "BLMTP" },
      tier: "A",
    },
    {
      donor: { country: "BE", region: "Bel_2", allocationCentreId: "BLMTP" },
      cand: { country: "BE", region: "Bel_2", centreId: "BGETP" },
      tier: "D",
    },
    {
      donor: { country: "BE", region: "Bel_2", allocationCentreId: "BLMTP" },
      cand: { country: "BE", region: "Bel_1", centreId: "BLGTP" },
      tier: "D",
    },
    {
      donor: { country: "BE", region: "Bel_2", allocationCentreId: "BLMTP" },
      cand: { country: "NL", region: "NL", centreId: "NAMTP" },
      tier: "H",
    },
    {
      donor: { country: "DE", region: "GNW", espSubregion: "DUSSELDORF" },
      cand: {
        country: "DE",
        region: "GNW",
        centreId: "GESTP",
        espSubregion: "DUSSELDORF",
        kidneyProgramme: "ESP",
      },
      tier: "B",
    },
    {
      donor: { country: "DE", region: "GNW", espSubregion: "DUSSELDORF" },
      cand: {
        country: "DE",
        region: "GNW",
        centreId: "GKMTP",
        espSubregion: "KOLNBONN",
        kidneyProgramme: "ESP",
      },
      tier: "C",
    },
    {
      donor: { country: "DE", region: "GNW", espSubregion: "DUSSELDORF" },
      cand: {
        country: "DE",
        region: "GNW",
        centreId: "GESTP",
        espSubregion: "DUSSELDORF",
        kidneyProgramme: "ETKAS",
      },
      tier: "E",
    },
    {
      donor: { country: "DE", region: "GNW", espSubregion: "DUSSELDORF" },
      cand: {
        country: "DE",
        region: "GBY",
        centreId: "GMLTP",
        espSubregion: "MUNCHEN",
        kidneyProgramme: "ESP",
      },
      tier: "F",
    },
    {
      donor: { country: "DE", region: "GNW", espSubregion: "DUSSELDORF" },
      cand: { country: "NL", region: "NL", centreId: "NAMTP" },
      tier: "H",
    },
    {
      donor: { country: "HU", region: "HU", espSubregion: "HBS" },
      cand: { country: "HU", region: "HU", centreId: "HBSTP", espSubregion: "HBS" },
      tier: "B",
    },
    {
      donor: { country: "HU", region: "HU", espSubregion: "HBS" },
      cand: { country: "HU", region: "HU", centreId: "HPCTP", espSubregion: "HPC" },
      tier: "D",
    },
    {
      donor: { country: "NL", region: "NL" },
      cand: { country: "NL", region: "NL", centreId: "NAMTP" },
      tier: "D",
    },
    {
      donor: { country: "HR", region: "HR" },
      cand: { country: "HR", region: "HR", centreId: "CZATP" },
      tier: "D",
    },
    {
      donor: { country: "SI", region: "SLO" },
      cand: { country: "SI", region: "SLO", centreId: "SLOTP" },
      tier: "D",
    },
    {
      donor: { country: "SI", region: "SLO" },
      cand: { country: "AT", region: "Vienna", centreId: "AWGTP" },
      tier: "H",
    },
  ];
  it.each(cases)(
    "$donor.country donor → $cand.country $cand.centreId: tier $tier",
    ({ donor, cand, tier }) => {
      const r = etRank(ESP, etDonor({ ageYears: 70, ...donor }), [
        etCandidate({ id: "c", ...senior, ...cand }),
      ]);
      const offered = tier !== null && "ABCD".includes(tier);
      if (offered) {
        expect(r.ranked[0]?.tier?.label).toMatch(new RegExp(`^ESP tier ${tier} \\(`));
      } else {
        expect(r.excluded[0]?.code).toBe("TIER_NOT_OFFERED");
        expect(r.excluded[0]?.message).toMatch(new RegExp(`^ESP tier ${tier} \\(`));
      }
    },
  );
});

describe("ESP eligibility and order", () => {
  const donor = etDonor({ ageYears: 72, country: "BE", region: "Bel_2", allocationCentreId: "BLMTP" });
  it("candidates under 65 are not eligible; the ETKAS filters apply", () => {
    const r = etRank(ESP, donor, [
      etCandidate({ id: "young", country: "BE", region: "Bel_2", centreId: "BLMTP" }),
      etCandidate({
        id: "am",
        ...senior,
        country: "BE",
        region: "Bel_2",
        centreId: "BLMTP",
        acceptableMismatchProgramme: true,
      }),
      etCandidate({ id: "ok", ...senior, country: "BE", region: "Bel_2", centreId: "BLMTP" }),
    ]);
    expect(r.ranked.map((x) => x.candidateId)).toEqual(["ok"]);
    expect(r.excluded.map((x) => [x.candidateId, x.code])).toEqual([
      ["young", "NOT_ELIGIBLE"],
      ["am", "NOT_ELIGIBLE"],
    ]);
  });
  it("tier first (A before D), then high urgency, then dialysis points; no HLA, distance or MMP points", () => {
    const r = etRank(ESP, donor, [
      etCandidate({
        id: "d-long",
        ...senior,
        country: "BE",
        region: "Bel_1",
        centreId: "BLGTP",
        dialysisStartedAt: "2015-01-01T00:00:00Z",
      }),
      etCandidate({
        id: "a-short",
        ...senior,
        country: "BE",
        region: "Bel_2",
        centreId: "BLMTP",
        dialysisStartedAt: "2025-06-01T00:00:00Z",
      }),
      etCandidate({
        id: "d-hu",
        ...senior,
        country: "BE",
        region: "Bel_2",
        centreId: "BGETP",
        dialysisStartedAt: "2025-12-01T00:00:00Z",
        urgency: { highUrgency: true },
      }),
      etCandidate({
        id: "d-mid",
        ...senior,
        country: "BE",
        region: "Bel_2",
        centreId: "BGETP",
        dialysisStartedAt: "2020-01-01T00:00:00Z",
      }),
    ]);
    expect(r.ranked.map((x) => x.candidateId)).toEqual(["a-short", "d-hu", "d-long", "d-mid"]);
    const p = pointsOf(r, "d-long");
    expect(Object.keys(p.by).sort()).toEqual(["dialysis", "rounding"]);
    // 11.0 years on dialysis × 33.333333 = 366.8 → 367.
    expect(p.by.dialysis).toBeCloseTo(yearsTo("2015-01-01T00:00:00Z") * 33.333333, 6);
    expect(p.score).toBe(Math.floor(yearsTo("2015-01-01T00:00:00Z") * 33.333333 + 0.5));
  });
});

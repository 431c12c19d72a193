import { describe, expect, it } from "vitest";
import { generateSyntheticCandidates, syntheticDonor } from "@/prisma/synthetic";
import { ALLOCATION_POLICIES, findAllocationPolicy } from "../policies";
import {
  parseCandidate,
  prepareCandidate,
  type TCandidateInput,
  ZCandidateSchema,
} from "./prepare-candidate";
import { prepareDonor } from "./prepare-donor";
import { rankCandidates } from "./rank-candidates";

const now = new Date("2026-01-01T00:00:00Z");
const consent = { organs: ["KIDNEYS", "LIVER", "HEART", "LUNGS"], purposes: ["TRANSPLANT"] };
const policy = (id: string) => {
  const p = findAllocationPolicy(id);
  if (!p) throw new Error(id);
  return p;
};

const cand = (o: Partial<TCandidateInput> & { id: string }) =>
  parseCandidate({
    centreId: "C-CHI",
    organ: "KIDNEY",
    status: "ACTIVE",
    abo: "O",
    hla: { A: ["A1", "A3"], B: ["B7", "B35"], DR: ["DR1", "DR7"] },
    unacceptable: [],
    cpra: 0,
    listedAt: "2024-01-01T00:00:00Z",
    dialysisStartedAt: "2023-01-01T00:00:00Z",
    dateOfBirth: "1970-01-01",
    sex: "M",
    heightCm: 175,
    weightKg: 80,
    location: { lat: 41.88, lon: -87.63 },
    country: "US",
    region: "7",
    ...o,
  });

// Donor O, HLA A2 A24 / B44 B8 / DR15 DR4 (see syntheticDonor), Chicago.
const donor = prepareDonor(syntheticDonor());

describe("rankCandidates: filters name the rule that excluded each candidate", () => {
  const candidates = [
    cand({ id: "ok" }),
    cand({ id: "liver", organ: "LIVER" }),
    cand({ id: "inactive", status: "INACTIVE" }),
    cand({ id: "group-a", abo: "A" }),
    cand({ id: "xm", unacceptable: ["A9", "DQ8"], cpra: 40 }),
  ];
  const r = rankCandidates({
    donor,
    organ: "KIDNEY",
    candidates,
    policy: policy("us-kidney-cd"),
    now,
    consent,
  });
  it("ranks only the eligible", () => expect(r.ranked.map((x) => x.candidateId)).toEqual(["ok"]));
  it("excludes with codes and messages", () => {
    expect(r.excluded.map((x) => [x.candidateId, x.code])).toEqual([
      ["liver", "ORGAN_NOT_LISTED"],
      ["inactive", "CANDIDATE_INACTIVE"],
      ["group-a", "ABO_IDENTICAL_ONLY"],
      ["xm", "CROSSMATCH_POSITIVE"],
    ]);
    const xm = r.excluded.find((x) => x.candidateId === "xm");
    expect(xm?.message).toBe("Virtual crossmatch positive: unacceptable A9 (donor A24), DQ8.");
    expect(xm?.offendingAntigens).toEqual([
      { unacceptable: "A9", donorAntigen: "A24" },
      { unacceptable: "DQ8", donorAntigen: "DQ8" },
    ]);
  });
  it("records policy, version and offer plan", () => {
    expect(r).toMatchObject({
      policy: { id: "us-kidney-cd", version: 1 },
      offer: { mode: "topN", topN: 3, responseMinutes: 60 },
      refusal: null,
    });
  });
  it("refuses the whole run when consent does not cover the organ", () => {
    const x = rankCandidates({
      donor,
      organ: "KIDNEY",
      candidates,
      policy: policy("us-kidney-cd"),
      now,
      consent: { organs: ["LIVER"], purposes: ["TRANSPLANT"] },
    });
    expect(x.refusal?.code).toBe("CONSENT_NOT_COVERED");
    expect(x.ranked).toEqual([]);
    const research = rankCandidates({
      donor,
      organ: "KIDNEY",
      candidates,
      policy: policy("us-kidney-cd"),
      now,
      consent: { organs: ["KIDNEYS"], purposes: ["RESEARCH"] },
    });
    expect(research.refusal?.code).toBe("CONSENT_NOT_COVERED");
  });
  it("refuses a policy for another organ", () => {
    expect(() =>
      rankCandidates({ donor, organ: "KIDNEY", candidates, policy: policy("us-liver-acuity"), now, consent }),
    ).toThrow(/is for LIVER/);
  });
});

describe("rankCandidates: US kidney tiers and ties", () => {
  const zeroMm = { A: ["A2", "A24"], B: ["B44", "B8"], DR: ["DR15", "DR4"] };
  const candidates = [
    cand({ id: "b-later", listedAt: "2024-06-01T00:00:00Z" }),
    cand({ id: "a-earlier", listedAt: "2024-02-01T00:00:00Z" }),
    cand({ id: "a-same", listedAt: "2024-02-01T00:00:00Z" }),
    cand({ id: "zero-mm-group-a", abo: "A", hla: zeroMm }),
    cand({ id: "sensitised", cpra: 99, abo: "B" }),
  ];
  const run = () =>
    rankCandidates({ donor, organ: "KIDNEY", candidates, policy: policy("us-kidney-cd"), now, consent });
  it("zero-mismatch first (O organ may cross groups then), then score, then listing date, then id", () => {
    const r = run();
    expect(r.ranked.map((x) => x.candidateId)).toEqual([
      "zero-mm-group-a",
      "sensitised",
      "a-earlier",
      "a-same",
      "b-later",
    ]);
    expect(r.ranked[0]?.tier?.id).toBe("zero-mismatch");
    expect(r.ranked[0]?.aboMatch).toBe("COMPATIBLE");
  });
  it("replays identically (same snapshot, same ranking and breakdown)", () => expect(run()).toEqual(run()));
  it("explains each row: raw, normalised, weight, points summing to the score", () => {
    const row = run().ranked.find((x) => x.candidateId === "sensitised");
    const cpra = row?.breakdown.find((b) => b.attribute === "cpra");
    expect(cpra).toEqual({
      attribute: "cpra",
      group: "biology",
      raw: 99,
      normalised: 0.99,
      weight: 25,
      points: 24.75,
    });
    expect(row?.breakdown.reduce((s, b) => s + b.points, 0)).toBeCloseTo(row?.score ?? -1, 9);
  });
  it("puts top-20 % EPTS candidates next for a KDPI ≤ 20 donor only", () => {
    const young = cand({
      id: "young",
      dateOfBirth: "2000-01-01",
      dialysisStartedAt: null,
      listedAt: "2025-06-01T00:00:00Z",
    });
    const pool = [...candidates, young];
    const good = prepareDonor(syntheticDonor({ ageYears: 25, heightCm: 185, creatinineMgDl: 0.7 }));
    expect(good.kdpi).toBeLessThanOrEqual(20);
    const r = rankCandidates({
      donor: good,
      organ: "KIDNEY",
      candidates: pool,
      policy: policy("us-kidney-cd"),
      now,
      consent,
    });
    expect(r.ranked.slice(0, 2).map((x) => [x.candidateId, x.tier?.id])).toEqual([
      ["zero-mm-group-a", "zero-mismatch"],
      ["young", "kdpi20-epts20"],
    ]);
    const older = prepareDonor(syntheticDonor({ ageYears: 62, hypertension: true }));
    expect(older.kdpi).toBeGreaterThan(20);
    const r2 = rankCandidates({
      donor: older,
      organ: "KIDNEY",
      candidates: pool,
      policy: policy("us-kidney-cd"),
      now,
      consent,
    });
    expect(r2.ranked.find((x) => x.candidateId === "young")?.tier).toBeNull();
  });
});

describe("rankCandidates: ETKAS points", () => {
  it("adds HLA, dialysis, MMP, local/national, paediatric and HU points as published", () => {
    const candidates = [
      cand({
        id: "local",
        hla: { A: ["A2", "A1"], B: ["B44", "B7"], DR: ["DR15", "DR1"] },
        dialysisStartedAt: "2023-01-01T00:00:00Z",
        cpra: 0,
      }),
      cand({
        id: "national-child-hu",
        region: "3",
        dateOfBirth: "2015-01-01",
        urgency: { highUrgency: true },
        mismatchProbability: 50,
      }),
    ];
    const r = rankCandidates({
      donor,
      organ: "KIDNEY",
      candidates,
      policy: policy("etkas-kidney"),
      now,
      consent,
    });
    const pts = (id: string) =>
      Object.fromEntries(
        (r.ranked.find((x) => x.candidateId === id)?.breakdown ?? []).map((b) => [
          b.attribute,
          Number(b.points.toFixed(2)),
        ]),
      );
    const years = (now.getTime() - Date.parse("2023-01-01T00:00:00Z")) / (365.25 * 86_400_000);
    expect(pts("local")).toEqual({
      hlaMismatches: 200,
      dialysisYears: Number((33.33 * years).toFixed(2)),
      mismatchProbability: 0,
      isLocal: 300,
      isNational: 0,
      paediatric: 0,
      highUrgency: 0,
    });
    expect(pts("national-child-hu")).toMatchObject({
      hlaMismatches: 0,
      mismatchProbability: 50,
      isLocal: 0,
      isNational: 100,
      paediatric: 100,
      highUrgency: 500,
    });
    expect(r.ranked[0]?.candidateId).toBe("national-child-hu");
  });
});

describe("rankCandidates: liver, heart, lung", () => {
  const labs = (bili: number) => ({
    female: false,
    bilirubinMgDl: bili,
    sodiumMmolL: 137,
    inr: 1,
    creatinineMgDl: 1,
    albuminGDl: 3.5,
    dialysisTwiceInPastWeek: false,
  });
  it("liver: acuity circles, identical ABO first within a tier, MELD required", () => {
    const candidates = [
      cand({
        id: "far-sick",
        organ: "LIVER",
        abo: "O",
        urgency: { liver: labs(40), highUrgency: false },
        location: { lat: 40.76, lon: -73.96 },
      }),
      cand({
        id: "near-sick-a",
        organ: "LIVER",
        abo: "A",
        urgency: { liver: { ...labs(30), inr: 3, creatinineMgDl: 3 }, highUrgency: false },
      }),
      cand({
        id: "near-sick-o",
        organ: "LIVER",
        abo: "O",
        urgency: { liver: { ...labs(30), inr: 3, creatinineMgDl: 2.5 }, highUrgency: false },
      }),
      cand({ id: "no-labs", organ: "LIVER" }),
    ];
    const r = rankCandidates({
      donor,
      organ: "LIVER",
      candidates,
      policy: policy("us-liver-acuity"),
      now,
      consent,
    });
    expect(r.ranked.map((x) => [x.candidateId, x.tier?.id, x.aboMatch])).toEqual([
      ["near-sick-o", "meld37-150", "IDENTICAL"],
      ["near-sick-a", "meld37-150", "COMPATIBLE"],
      ["far-sick", undefined, "IDENTICAL"], // ~620 nm away: outside every circle
    ]);
    expect(r.excluded).toEqual([expect.objectContaining({ candidateId: "no-labs", code: "MISSING_DATA" })]);
  });
  it("heart: donor-to-candidate weight ratio 0.8–1.5", () => {
    const candidates = [
      cand({ id: "fits", organ: "HEART", weightKg: 85, urgency: { heartStatus: 2, highUrgency: false } }),
      cand({ id: "too-big", organ: "HEART", weightKg: 120, urgency: { heartStatus: 1, highUrgency: false } }),
    ];
    const r = rankCandidates({ donor, organ: "HEART", candidates, policy: policy("us-heart"), now, consent });
    expect(r.ranked.map((x) => x.candidateId)).toEqual(["fits"]);
    expect(r.excluded[0]).toMatchObject({
      code: "SIZE_OUT_OF_RANGE",
      message: "Donor/candidate weight ratio 0.67 is outside 0.80–1.50.",
    });
  });
  it("lung: height ratio and urgency", () => {
    const candidates = [
      cand({ id: "tall", organ: "LUNG", heightCm: 200, urgency: { lungUrgency: 90, highUrgency: false } }),
      cand({ id: "urgent", organ: "LUNG", urgency: { lungUrgency: 80, highUrgency: false } }),
      cand({ id: "stable", organ: "LUNG", urgency: { lungUrgency: 20, highUrgency: false } }),
    ];
    const r = rankCandidates({
      donor,
      organ: "LUNG",
      candidates,
      policy: policy("us-lung-cas"),
      now,
      consent,
    });
    expect(r.ranked.map((x) => x.candidateId)).toEqual(["urgent", "stable"]);
    expect(r.excluded.map((x) => x.code)).toEqual(["SIZE_OUT_OF_RANGE"]);
  });
});

describe("policies and synthetic data", () => {
  it("ships seven valid policies (earlier ones unchanged, so their runs replay)", () => {
    expect(ALLOCATION_POLICIES.map((p) => `${p.organ}:${p.id}@${p.version}`)).toEqual([
      "KIDNEY:us-kidney-cd@1",
      "LIVER:us-liver-acuity@1",
      "HEART:us-heart@1",
      "LUNG:us-lung-cas@1",
      "KIDNEY:etkas-kidney@1",
      "KIDNEY:eurotransplant-etkas@1",
      "KIDNEY:eurotransplant-esp@1",
    ]);
  });
  it("generates valid, reproducible candidates with the stated ABO mix", () => {
    const a = generateSyntheticCandidates({ n: 4000, seed: 7 });
    expect(generateSyntheticCandidates({ n: 4000, seed: 7 })).toEqual(a);
    for (const c of a.slice(0, 300)) expect(ZCandidateSchema.safeParse(c).success).toBe(true);
    const share = (abo: string) => a.filter((c) => c.abo === abo).length / a.length;
    expect(share("O")).toBeCloseTo(0.44, 1);
    expect(share("AB")).toBeCloseTo(0.04, 1);
    expect(a.filter((c) => c.cpra === 0).length / a.length).toBeGreaterThan(0.55);
    const prepared = a.map(prepareCandidate);
    const r = rankCandidates({
      donor,
      organ: "KIDNEY",
      candidates: prepared,
      policy: policy("us-kidney-cd"),
      now,
      consent,
    });
    expect(r.ranked.length + r.excluded.length).toBe(4000);
  });
  it("with `detail`, keeps the top rows and first exclusions in full and the rest compact, in the same order", () => {
    const prepared = generateSyntheticCandidates({ n: 4000, seed: 11 }).map(prepareCandidate);
    const opts = {
      donor,
      organ: "KIDNEY" as const,
      candidates: prepared,
      policy: policy("us-kidney-cd"),
      now,
      consent,
    };
    const whole = rankCandidates(opts);
    const cut = rankCandidates({ ...opts, detail: 50 });
    expect(whole.ranked.length).toBeGreaterThan(50);
    expect(whole.excluded.length).toBeGreaterThan(50);
    expect(whole.tail.candidateIds).toEqual([]);
    expect(whole.excludedMore).toEqual({});

    expect(cut.ranked).toEqual(whole.ranked.slice(0, 50));
    const rest = whole.ranked.slice(50);
    expect(cut.tail.candidateIds).toEqual(rest.map((r) => r.candidateId));
    expect(cut.tail.centreIds).toEqual(rest.map((r) => r.centreId));
    expect([...cut.tail.scores]).toEqual(rest.map((r) => r.score));
    expect([...cut.tail.distancesNm]).toEqual(rest.map((r) => r.distanceNm));

    expect(cut.excluded).toEqual(whole.excluded.slice(0, 50));
    const counted: Record<string, number> = {};
    for (const e of whole.excluded.slice(50)) counted[e.code] = (counted[e.code] ?? 0) + 1;
    expect(cut.excludedMore).toEqual(counted);
  });
  it("refuses unknown HLA names with a message naming the antigen", () => {
    expect(() => cand({ id: "bad", hla: { A: ["A2", "A99"], B: ["B7"], DR: ["DR1"] } })).toThrow(/"A99"/);
  });
});

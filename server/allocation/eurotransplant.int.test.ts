import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import type { TSessionUser } from "@/server/auth/roles";
import { disconnectPrisma, prisma } from "@/server/db";
import { createStaff, type TStaff } from "@/test/factories/organ-factory";
import type { TOpenDonorCase } from "./donor-case";
import type { TCandidateEntry } from "./records";
import { storedRankedRows } from "./stored-ranking";

const unique = () => randomBytes(4).toString("hex").toUpperCase();
const asUser = (s: TStaff): TSessionUser => ({ ...s.user, organisationName: s.org.name });

let opo: TStaff;
let centre: TStaff;
let regulator: TStaff;
const opoCaller = () => createCaller({ user: asUser(opo) });
const centreCaller = () => createCaller({ user: asUser(centre) });

/** A Dutch kidney candidate with the Eurotransplant inputs (screened this month). */
const candidate = (over: Partial<TCandidateEntry> = {}): TCandidateEntry => ({
  organ: "KIDNEY",
  abo: "AB",
  hla: { A: ["A1", "A3"], B: ["B7", "B35"], C: [], DR: ["DR15", "DR4"], DQ: [] },
  unacceptable: [],
  cpra: 0,
  listedAt: "2024-01-01",
  dialysisStartedAt: "2024-01-01",
  dateOfBirth: "1976-01-01",
  sex: "F",
  heightCm: 170,
  weightKg: 70,
  priorLivingDonor: false,
  priorTransplants: 0,
  diabetes: false,
  urgency: { highUrgency: false },
  allocation: { country: "NL", region: "NL", antibodyScreenedAt: new Date().toISOString().slice(0, 10) },
  ...over,
});

const donor = (over: Partial<TOpenDonorCase["donor"]> = {}): TOpenDonorCase["donor"] => ({
  abo: "AB",
  hla: { A: ["A1", "A2"], B: ["B7", "B8"], C: [], DR: ["DR15", "DR17"], DRB345: ["DR51", "DR52"], DQ: [] },
  ageYears: 45,
  heightCm: 175,
  weightKg: 80,
  sex: "M",
  causeOfDeath: "STROKE",
  dcd: false,
  hypertension: false,
  diabetes: false,
  creatinineMgDl: 1.0,
  hbv: false,
  hcv: false,
  hiv: false,
  country: "NL",
  region: "NL",
  balance: { group: "18-49", national: { NL: -2, DE: 3 }, regional: {} },
  ...over,
});

async function kidneyCase(facts: TOpenDonorCase["donor"]) {
  const auth = await opoCaller().consent.recordFamilyAuthorisation({
    person: {
      fullName: `Never Registered ${unique()}`,
      dateOfBirth: "1980-02-02",
      identifier: { scheme: "GENERIC", value: `FAM${unique()}` },
    },
    decision: "DONATE_ALL",
    organs: [],
    purposes: ["TRANSPLANT"],
    authorisedBy: { name: "Sam Kin", relationship: "SPOUSE", witness: "Nurse Witness" },
  });
  const c = await opoCaller().donorCase.open({
    referralHospital: "St Elsewhere",
    consentReceiptCode: auth.receiptCode,
    donor: facts,
    organs: [{ type: "KIDNEY", laterality: "LEFT" }],
  });
  const organ = await prisma.organ.findFirstOrThrow({ where: { donorCase: { code: c.code } } });
  return organ.id;
}

beforeAll(async () => {
  [opo, centre, regulator] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
    createStaff({ kind: "REGULATOR" }),
  ]);
});
afterAll(async () => {
  await disconnectPrisma();
});

describe("Eurotransplant programme end to end", () => {
  it("lists candidates with their ET inputs (DRB3/4/5 beside two DRB1), runs ETKAS for a donor under 65 with balance points, records the chosen policy and replays it", async () => {
    const a = await centreCaller().waitlist.add(candidate());
    const b = await centreCaller().waitlist.add(
      candidate({
        hla: {
          A: ["A1", "A2"],
          B: ["B7", "B8"],
          C: [],
          DR: ["DRB1*15:01", "DRB1*03:01", "DRB5*01:01"],
          DQ: [],
        },
        allocation: { country: "NL", region: "NL", antibodyScreenedAt: "2000-01-01" },
      }),
    );
    const am = await centreCaller().waitlist.add(
      candidate({
        allocation: { country: "NL", acceptableMismatchProgramme: true, antibodyScreenedAt: "2026-11-30" },
      }),
    );
    const organId = await kidneyCase(donor());
    const run = await opoCaller().matchRun.run({ organId, policyId: "eurotransplant-kidney" });
    const detail = await opoCaller().matchRun.get({ matchRunId: run.matchRunId });
    expect(detail.policy).toEqual({ id: "eurotransplant-etkas", version: 1 });
    const mine = detail.ranked.find((r) => r.candidateId === a.id);
    expect(mine).toBeDefined();
    const by = Object.fromEntries((mine?.breakdown ?? []).map((l) => [l.attribute, l.points]));
    // NL's balance −2 against the largest, DE's +3: 5 × 30 points; local (the whole country) 300.
    expect(by["national-balance"]).toBe(150);
    expect(by.distance).toBe(300);
    expect(Number.isInteger(mine?.score)).toBe(true);
    // Neither is ranked anywhere (head or packed tail). A run shows only its first exclusions in
    // full (listing order) and other test files list candidates in the same database, so each one's
    // rule is checked wherever it was kept in full.
    const stored = await prisma.matchRun.findUniqueOrThrow({ where: { id: run.matchRunId } });
    const rankedIds = new Set(storedRankedRows(stored).map((r) => r.candidateId));
    expect(rankedIds.has(b.id)).toBe(false);
    expect(rankedIds.has(am.id)).toBe(false);
    const excluded = Object.fromEntries(detail.excluded.map((e) => [e.candidateId, e.code]));
    for (const id of [b.id, am.id]) if (id in excluded) expect(excluded[id]).toBe("NOT_ELIGIBLE");
    if (detail.excludedTotal === detail.excluded.length) {
      expect(excluded[b.id]).toBe("NOT_ELIGIBLE");
      expect(excluded[am.id]).toBe("NOT_ELIGIBLE");
    }

    const replay = await createCaller({ user: asUser(regulator) }).matchRun.replay({
      matchRunId: run.matchRunId,
    });
    expect(replay.identical).toBe(true);
  });

  it("runs ESP for a donor of 65 and over", async () => {
    const old = await centreCaller().waitlist.add(candidate({ dateOfBirth: "1955-01-01" }));
    const organId = await kidneyCase(donor({ ageYears: 70 }));
    const run = await opoCaller().matchRun.run({ organId, policyId: "eurotransplant-kidney" });
    const detail = await opoCaller().matchRun.get({ matchRunId: run.matchRunId });
    expect(detail.policy).toEqual({ id: "eurotransplant-esp", version: 1 });
    expect(detail.ranked.find((r) => r.candidateId === old.id)?.tier?.label).toMatch(/^ESP tier D \(NL\)/);
  });

  it("names a bad ET input by field", async () => {
    await expect(
      centreCaller().waitlist.add(candidate({ allocation: { country: "Netherlands" } as never })),
    ).rejects.toThrow(/country is an ISO 3166 code/);
  });
});

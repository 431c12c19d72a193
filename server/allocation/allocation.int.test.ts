import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { createCaller } from "@/server/api/root";
import type { TSessionUser } from "@/server/auth/roles";
import { mod37_2CheckCharacter } from "@/server/custody/donation-identification-number";
import { createColleague, createStaff, type TStaff } from "@/server/custody/testing/organ-factory";
import { disconnectPrisma, prisma } from "@/server/db";
import { isAppError } from "@/server/errors";
import { appendEvent, SYSTEM_ACTOR } from "@/server/ledger/append-event";
import { listBypassedOffers } from "@/server/regulator/allocation-oversight";
import type { TOpenDonorCase } from "./donor-case";
import { storedRankedRows } from "./match-run";
import { answerOffer, expireOverdueOffers, sendNextOffers } from "./offers";
import type { TCandidateEntry } from "./records";

/** The refusal a caller sees: code, message and field errors (zod input errors as the API formats them). */
async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    const app = isAppError(err) ? err : isAppError(cause) ? cause : null;
    if (app) return { code: app.code, message: app.message, fieldErrors: app.fieldErrors ?? {} };
    if (cause instanceof ZodError) {
      return {
        code: "BAD_REQUEST",
        message: cause.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        fieldErrors: Object.fromEntries(cause.issues.map((i) => [i.path.join("."), i.message])),
      };
    }
    throw err;
  }
  throw new Error("expected a refusal");
}

const unique = () => randomBytes(4).toString("hex").toUpperCase();
const asUser = (s: TStaff): TSessionUser => ({ ...s.user, organisationName: s.org.name });

function kidneyCandidate(over: Partial<TCandidateEntry> = {}): TCandidateEntry {
  return {
    organ: "KIDNEY",
    abo: "O",
    hla: { A: ["A1", "A2"], B: ["B8", "B44"], C: [], DR: ["DR4", "DR15"], DQ: [] },
    unacceptable: [],
    cpra: 10,
    listedAt: "2022-01-10",
    dialysisStartedAt: "2021-06-01",
    dateOfBirth: "1975-05-05",
    sex: "F",
    heightCm: 168,
    weightKg: 70,
    priorLivingDonor: false,
    priorTransplants: 0,
    diabetes: false,
    urgency: { highUrgency: false },
    ...over,
  };
}

const donorFacts: TOpenDonorCase["donor"] = {
  abo: "O",
  hla: { A: ["A1", "A2"], B: ["B8", "B44"], C: [], DR: ["DR4", "DR15"], DQ: [] },
  ageYears: 41,
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
};

let opo: TStaff;
let centre: TStaff;
let otherCentre: TStaff;
let regulator: TStaff;
const opoCaller = () => createCaller({ user: asUser(opo) });
const centreCaller = () => createCaller({ user: asUser(centre) });

/** A family authorisation covering the given organs; returns its receipt code. */
async function authorisation(organs: string[] | "ALL", purposes = ["TRANSPLANT"]): Promise<string> {
  const r = await opoCaller().consent.recordFamilyAuthorisation({
    person: {
      fullName: `Never Registered ${unique()}`,
      dateOfBirth: "1980-02-02",
      identifier: { scheme: "GENERIC", value: `FAM${unique()}` },
    },
    decision: organs === "ALL" ? "DONATE_ALL" : "DONATE_SELECTED",
    organs: organs === "ALL" ? [] : organs,
    purposes,
    authorisedBy: { name: "Sam Kin", relationship: "SPOUSE", witness: "Nurse Witness" },
  });
  return r.receiptCode;
}

async function openCase(organs: TOpenDonorCase["organs"], receipt?: string) {
  return opoCaller().donorCase.open({
    referralHospital: "St Elsewhere",
    consentReceiptCode: receipt ?? (await authorisation("ALL")),
    donor: donorFacts,
    organs,
  });
}

beforeAll(async () => {
  [opo, centre, otherCentre, regulator] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
    createStaff({ kind: "REGULATOR" }),
  ]);
});
afterAll(async () => {
  await disconnectPrisma();
});

describe("waiting list", () => {
  it("names each bad field: unknown HLA antigen, impossible labs, ABO outside the allowed values", async () => {
    const r = await refusal(
      centreCaller().waitlist.add(
        kidneyCandidate({ hla: { A: ["A1", "A999"], B: ["B8"], C: [], DR: ["DR4"], DQ: [] } }),
      ),
    );
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toMatch(/hla: HLA-A: Unknown HLA antigen "A999"/);

    const abo = await refusal(centreCaller().waitlist.add({ ...kidneyCandidate(), abo: "C" as never }));
    expect(abo.message).toMatch(/abo: blood group must be O, A, B or AB/);

    const liver = await refusal(
      centreCaller().waitlist.add(
        kidneyCandidate({
          organ: "LIVER",
          urgency: {
            highUrgency: false,
            liver: {
              bilirubinMgDl: 120,
              sodiumMmolL: 135,
              inr: 1.2,
              creatinineMgDl: 1,
              albuminGDl: 3.5,
              dialysisTwiceInPastWeek: false,
            },
          },
        }),
      ),
    );
    expect(liver.message).toMatch(
      /urgency\.liver\.bilirubinMgDl: bilirubin above 80 mg\/dL is not plausible/,
    );
  });

  it("keeps status history, and a centre never sees another centre's candidates", async () => {
    const { id } = await centreCaller().waitlist.add(kidneyCandidate());
    await centreCaller().waitlist.setStatus({
      candidateId: id,
      status: "INACTIVE",
      reason: "Temporarily unwell",
    });
    const history = await centreCaller().waitlist.history({ id });
    expect(history.map((h) => [h.from, h.to, h.reason])).toEqual([
      ["ACTIVE", "INACTIVE", "Temporarily unwell"],
      [null, "ACTIVE", "Listed"],
    ]);
    const other = createCaller({ user: asUser(otherCentre) });
    expect((await other.waitlist.list({})).map((c) => c.id)).not.toContain(id);
    expect((await refusal(other.waitlist.history({ id }))).code).toBe("NOT_FOUND");
    expect(
      (
        await refusal(
          other.waitlist.setStatus({ candidateId: id, status: "ACTIVE", reason: "Not mine at all" }),
        )
      ).code,
    ).toBe("NOT_FOUND");
  });

  it("gives candidates listed at the same moment distinct codes", async () => {
    const fresh = await createStaff({ kind: "TRANSPLANT_CENTER" });
    const caller = createCaller({ user: asUser(fresh) });
    const added = await Promise.all(
      Array.from({ length: 12 }, () => caller.waitlist.add(kidneyCandidate({ organ: "PANCREAS" }))),
    );
    expect(new Set(added.map((a) => a.code)).size).toBe(12);
    expect((await caller.waitlist.list({})).length).toBe(12);
  });
});

describe("donor cases", () => {
  it("refuses an organ the consent does not cover, by name, and writes nothing", async () => {
    const receipt = await authorisation(["KIDNEYS"]);
    const before = await prisma.donorCase.count({ where: { opoId: opo.org.id } });
    const r = await refusal(
      openCase(
        [
          { type: "KIDNEY", laterality: "LEFT" },
          { type: "HEART", laterality: null },
        ],
        receipt,
      ),
    );
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.fieldErrors).toHaveProperty("organs.1.type");
    expect(r.message).toMatch(/heart is not covered by the consent/);
    expect(await prisma.donorCase.count({ where: { opoId: opo.org.id } })).toBe(before);

    const ok = await openCase([{ type: "KIDNEY", laterality: "LEFT" }], receipt);
    expect(ok.kdri).toBeGreaterThan(0);
    expect(ok.kdpi).toBeGreaterThanOrEqual(0);
    // ISBT 128: facility (a letter, four digits), year, sequence, then the MOD 37-2 check
    // character, which is * for 36 (a regex without it failed about one run in 37).
    const din = ok.organs[0]?.din as string;
    expect(din).toMatch(/^[A-Z]\d{12}[0-9A-Z*]$/);
    expect(din.slice(13)).toBe(mod37_2CheckCharacter(din.slice(0, 13)));
  });

  it("refuses a research-only consent and an unknown receipt", async () => {
    const research = await authorisation("ALL", ["RESEARCH"]);
    const r = await refusal(openCase([{ type: "KIDNEY", laterality: "LEFT" }], research));
    expect(r.fieldErrors).toHaveProperty("organs.0.type");
    const unknown = await refusal(openCase([{ type: "KIDNEY", laterality: "LEFT" }], "ZZZZZZZZZZ"));
    expect(["NOT_FOUND", "BAD_REQUEST"]).toContain(unknown.code);
    expect(unknown.fieldErrors).toHaveProperty("consentReceiptCode");
  });
});

describe("match runs and offers", () => {
  async function kidneyWithCandidates(n: number, over: Partial<TCandidateEntry> = {}) {
    // Earlier tests' candidates leave the list (through the API, so the ledger's list follows),
    // and each run ranks this test's candidates only.
    const earlier = await prisma.candidate.findMany({
      where: { organ: "KIDNEY", status: "ACTIVE", centerId: centre.org.id },
      select: { id: true },
    });
    for (const c of earlier) {
      await centreCaller().waitlist.setStatus({ candidateId: c.id, status: "REMOVED", reason: "test done" });
    }
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(
        (
          await centreCaller().waitlist.add(
            kidneyCandidate({ cpra: 5 + i, listedAt: `201${i % 10}-03-01`, ...over }),
          )
        ).id,
      );
    }
    const c = await openCase([{ type: "KIDNEY", laterality: "LEFT" }]);
    const organId = c.organs[0]?.id as string;
    const run = await opoCaller().matchRun.run({ organId });
    return { organId, run, candidateIds: ids, caseId: c.donorCaseId };
  }

  it("records the snapshot before any offer; each row explains itself; a replay is identical", async () => {
    const { organId, run } = await kidneyWithCandidates(3);
    // An incompatible candidate is excluded with the rule that excluded them.
    await centreCaller().waitlist.add(kidneyCandidate({ abo: "A" }));
    const second = await opoCaller().matchRun.run({ organId });
    const detail = await opoCaller().matchRun.get({ matchRunId: second.matchRunId });
    expect(detail.ranked.length).toBeGreaterThanOrEqual(3);
    for (const row of detail.ranked) {
      const sum = row.breakdown.reduce((s, b) => s + b.points, 0);
      expect(sum).toBeCloseTo(row.score, 6);
    }
    expect(detail.excluded.length).toBeGreaterThan(0);

    const event = await prisma.ledgerEvent.findUniqueOrThrow({ where: { id: run.ledgerEventId } });
    expect(event.type).toBe("match_run.recorded");
    expect(event.payload).toMatchObject({ snapshot: { format: "match-run-snapshot/3" } });
    expect(await prisma.offer.count({ where: { organId } })).toBe(0);

    const reg = createCaller({ user: asUser(regulator) });
    const replay = await reg.matchRun.replay({ matchRunId: second.matchRunId });
    expect(replay).toMatchObject({ identical: true, snapshotVerified: true, differences: [] });

    // Tampering with the stored ranking is found by the replay.
    const stored = await prisma.matchRun.findUniqueOrThrow({ where: { id: second.matchRunId } });
    const ranking = stored.ranking as { ranked: Array<{ candidateId: string }> };
    ranking.ranked.reverse();
    await prisma.matchRun.update({ where: { id: second.matchRunId }, data: { ranking: ranking as object } });
    const altered = await reg.matchRun.replay({ matchRunId: second.matchRunId });
    expect(altered.identical).toBe(false);
    expect(altered.differences[0]).toMatch(/^rank 1: recorded/);
  });

  it("offers the policy's top three in rank order; refusals need a reason and, once all are refused, the next go out; acceptance allocates and withdraws the rest", async () => {
    const { organId, run } = await kidneyWithCandidates(5);
    const detail = await opoCaller().matchRun.get({ matchRunId: run.matchRunId });
    const { offers } = await opoCaller().offer.sendNext({ matchRunId: run.matchRunId });
    const sent = await prisma.offer.findMany({ where: { id: { in: offers } }, orderBy: { rank: "asc" } });
    expect(sent.map((o) => [o.rank, o.candidateId])).toEqual(
      detail.ranked.slice(0, 3).map((r) => [r.rank, r.candidateId]),
    );
    for (const o of sent) expect(o.deadline.getTime() - o.sentAt.getTime()).toBe(60 * 60_000);
    const blocked = await refusal(opoCaller().offer.sendNext({ matchRunId: run.matchRunId }));
    expect(blocked.code).toBe("CONFLICT");

    const noReason = await refusal(
      centreCaller().offer.answer({ offerId: sent[0]?.id as string, answer: "REFUSE" }),
    );
    expect(noReason.fieldErrors).toHaveProperty("reasonCode");
    for (const o of sent) {
      await centreCaller().offer.answer({ offerId: o.id, answer: "REFUSE", reasonCode: "DONOR_SIZE" });
    }
    const next = await prisma.offer.findMany({
      where: { organId, status: "PENDING" },
      orderBy: { rank: "asc" },
    });
    expect(next.map((o) => o.rank)).toEqual([4, 5]);

    const accepted = await centreCaller().offer.answer({ offerId: next[0]?.id as string, answer: "ACCEPT" });
    expect(accepted).toMatchObject({ status: "ACCEPTED", organStatus: "ALLOCATED" });
    const organ = await prisma.organ.findUniqueOrThrow({ where: { id: organId } });
    expect(organ).toMatchObject({ status: "ALLOCATED", acceptedOfferId: next[0]?.id });
    expect(await prisma.offer.findUniqueOrThrow({ where: { id: next[1]?.id as string } })).toMatchObject({
      status: "WITHDRAWN",
    });
    const again = await refusal(opoCaller().offer.sendNext({ matchRunId: run.matchRunId }));
    expect(again).toMatchObject({ code: "CONFLICT", message: "this organ is already allocated" });

    const events = await prisma.ledgerEvent.findMany({
      where: { subjectType: "offer", subjectId: { in: [...sent, ...next].map((o) => o.id) } },
      select: { type: true },
    });
    const count = (t: string) => events.filter((e) => e.type === t).length;
    expect([count("offer.sent"), count("offer.answered"), count("offer.withdrawn")]).toEqual([5, 4, 1]);
  });

  it("an unanswered offer expires at its deadline and the next candidate is offered (fast clock)", async () => {
    const { organId, run } = await kidneyWithCandidates(4);
    const t0 = new Date();
    await sendNextOffers({ matchRunId: run.matchRunId, user: asUser(opo), now: t0 });
    const first = await prisma.offer.findFirstOrThrow({ where: { organId, rank: 1 } });
    expect(await expireOverdueOffers({ now: new Date(t0.getTime() + 59 * 60_000) })).toMatchObject({
      expired: 0,
    });
    const swept = await expireOverdueOffers({ now: new Date(t0.getTime() + 61 * 60_000) });
    expect(swept).toEqual({ expired: 3, sent: 1 });
    const offers = await prisma.offer.findMany({ where: { organId }, orderBy: { rank: "asc" } });
    expect(offers.map((o) => [o.rank, o.status])).toEqual([
      [1, "EXPIRED"],
      [2, "EXPIRED"],
      [3, "EXPIRED"],
      [4, "PENDING"],
    ]);
    const late = await refusal(
      answerOffer({
        input: { offerId: first.id, answer: "ACCEPT" },
        user: asUser(centre),
        now: new Date(t0.getTime() + 62 * 60_000),
      }),
    );
    expect(late).toMatchObject({ code: "CONFLICT", message: "this offer is no longer open (expired)" });
    const expiredEvent = await prisma.ledgerEvent.findFirst({
      where: { subjectType: "offer", subjectId: first.id, type: "offer.expired" },
    });
    expect(expiredEvent).not.toBeNull();
  });

  it("placing out of sequence needs a recorded reason, shown to regulators", async () => {
    const { run, candidateIds } = await kidneyWithCandidates(5);
    const detail = await opoCaller().matchRun.get({ matchRunId: run.matchRunId });
    const fourth = detail.ranked[3];
    expect(fourth && candidateIds.includes(fourth.candidateId)).toBe(true);
    const short = await refusal(
      opoCaller().offer.sendOutOfOrder({
        matchRunId: run.matchRunId,
        candidateId: fourth?.candidateId as string,
        reason: "urgent",
      }),
    );
    expect(short.fieldErrors).toHaveProperty("reason");
    const reason = `Ischemia time: ranks 1-2 too far to reach in time ${unique()}`;
    const out = await opoCaller().offer.sendOutOfOrder({
      matchRunId: run.matchRunId,
      candidateId: fourth?.candidateId as string,
      reason,
    });
    expect(out.skippedRanks).toBe(3);
    const bypassed = await prisma.ledgerEvent.findFirstOrThrow({
      where: { subjectType: "offer", subjectId: out.offerId, type: "offer.bypassed" },
    });
    expect(bypassed.payload).toMatchObject({ reason, skippedRanks: [1, 2, 3] });
    const oversight = await listBypassedOffers();
    expect(oversight.find((o) => o.offerId === out.offerId)).toMatchObject({ reason });
  });

  it("matches under any shipped policy for the organ (ETKAS-style points), and replays it; a policy for another organ is refused", async () => {
    const { organId } = await kidneyWithCandidates(3);
    const etkas = await opoCaller().matchRun.run({ organId, policyId: "etkas-kidney" });
    const detail = await opoCaller().matchRun.get({ matchRunId: etkas.matchRunId });
    expect(detail.policy.id).toBe("etkas-kidney");
    expect(detail.offerMode.mode).toBe("sequential");
    expect(detail.ranked.length).toBe(3);
    const replay = await createCaller({ user: asUser(regulator) }).matchRun.replay({
      matchRunId: etkas.matchRunId,
    });
    expect(replay.identical).toBe(true);
    const wrong = await refusal(opoCaller().matchRun.run({ organId, policyId: "us-liver-acuity" }));
    expect(wrong.code).toBe("BAD_REQUEST");
    expect(wrong.fieldErrors).toHaveProperty("policyId");
    expect(wrong.message).toMatch(/kidney is allocated under us-kidney-cd or etkas-kidney/);
  });

  it("a recorded candidate that fails the rules is excluded by name; the run and its replay go on", async () => {
    const { id } = await centreCaller().waitlist.add(kidneyCandidate());
    // A version recorded before a rule tightened, say: dialysis before birth.
    const last = await prisma.ledgerEvent.findFirstOrThrow({
      where: { subjectType: "candidate", subjectId: id },
      orderBy: { sequence: "desc" },
    });
    const candidate = (last.payload as { candidate: Record<string, unknown> }).candidate;
    await prisma.$transaction((tx) =>
      appendEvent({
        tx,
        subject: { type: "candidate", id },
        type: "candidate.recorded",
        payload: {
          candidateId: id,
          candidate: {
            ...candidate,
            dateOfBirth: "1990-01-01",
            dialysisStartedAt: "1985-01-01T00:00:00.000Z",
          },
        },
        actor: SYSTEM_ACTOR,
      }),
    );
    const c = await openCase([{ type: "KIDNEY", laterality: "LEFT" }]);
    const run = await opoCaller().matchRun.run({ organId: c.organs[0]?.id as string });
    const detail = await opoCaller().matchRun.get({ matchRunId: run.matchRunId });
    const row = detail.excluded.find((e) => e.candidateId === id);
    expect(row).toMatchObject({ code: "MISSING_DATA" });
    expect(row?.message).toMatch(/dialysisStartedAt: dialysis cannot start before birth/);
    const replay = await createCaller({ user: asUser(regulator) }).matchRun.replay({
      matchRunId: run.matchRunId,
    });
    expect(replay.identical).toBe(true);
    await centreCaller().waitlist.setStatus({ candidateId: id, status: "REMOVED", reason: "test done" });
  });

  it("the waiting list a run read is on the ledger: later changes leave its replay identical", async () => {
    const { run, candidateIds } = await kidneyWithCandidates(3);
    const events = await prisma.ledgerEvent.count({
      where: { type: "candidate.recorded", subjectId: { in: candidateIds } },
    });
    expect(events).toBe(3);
    // After the run, one candidate changes and one leaves the list.
    await centreCaller().waitlist.update({
      id: candidateIds[0] as string,
      entry: kidneyCandidate({ cpra: 99 }),
    });
    await centreCaller().waitlist.setStatus({
      candidateId: candidateIds[1] as string,
      status: "INACTIVE",
      reason: "Temporarily unwell",
    });
    const reg = createCaller({ user: asUser(regulator) });
    expect(await reg.matchRun.replay({ matchRunId: run.matchRunId })).toMatchObject({
      identical: true,
      snapshotVerified: true,
    });
    // A waiting-list event altered in the database is named by the replay.
    // As an attacker with database access could: triggers off for this transaction only.
    const setPayload = (payload: string) =>
      prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
        await tx.$executeRaw`
          UPDATE "LedgerEvent" SET payload = ${payload}::jsonb
          WHERE type = 'candidate.recorded' AND "subjectId" = ${candidateIds[2]} AND sequence = 1`;
      });
    const original = await prisma.ledgerEvent.findFirstOrThrow({
      where: { type: "candidate.recorded", subjectId: candidateIds[2], sequence: 1 },
    });
    const changed = structuredClone(original.payload) as { candidate: { cpra: number } };
    changed.candidate.cpra = 100;
    await setPayload(JSON.stringify(changed));
    const altered = await reg.matchRun.replay({ matchRunId: run.matchRunId });
    expect(altered.identical).toBe(false);
    expect(altered.differences.join("\n")).toMatch(/waiting-list event .* was changed after it was recorded/);
    // Put back: every later run's replay reads this event too.
    await setPayload(JSON.stringify(original.payload));
    expect((await reg.matchRun.replay({ matchRunId: run.matchRunId })).identical).toBe(true);
  });

  it("fifty concurrent accepts of one organ: one winner, forty-nine clear refusals", async () => {
    const { organId, run, candidateIds } = await kidneyWithCandidates(1);
    const more: string[] = [];
    for (let i = 0; i < 49; i++) more.push((await centreCaller().waitlist.add(kidneyCandidate())).id);
    const all = [...candidateIds, ...more];
    const now = new Date();
    const offers = await Promise.all(
      all.map((candidateId, i) =>
        prisma.offer.create({
          data: {
            organId,
            matchRunId: run.matchRunId,
            candidateId,
            centerId: centre.org.id,
            rank: i + 1,
            sentAt: now,
            deadline: new Date(now.getTime() + 3_600_000),
          },
        }),
      ),
    );
    const colleagues = await Promise.all(Array.from({ length: 5 }, () => createColleague(centre)));
    const results = await Promise.allSettled(
      offers.map((o, i) =>
        createCaller({
          user: { ...(colleagues[i % 5] as TSessionUser), organisationName: centre.org.name },
        }).offer.answer({ offerId: o.id, answer: "ACCEPT" }),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const l of lost) {
      expect((l.reason as Error).message).toMatch(
        /this organ has already been accepted for another candidate|this offer is no longer open \(withdrawn\)/,
      );
    }
    const organ = await prisma.organ.findUniqueOrThrow({ where: { id: organId } });
    const winner = await prisma.offer.findFirstOrThrow({ where: { organId, status: "ACCEPTED" } });
    expect(organ.acceptedOfferId).toBe(winner.id);
    expect(await prisma.offer.count({ where: { organId, status: "ACCEPTED" } })).toBe(1);
    expect(await prisma.candidateAcceptance.count({ where: { organId } })).toBe(1);
    expect(
      await prisma.ledgerEvent.count({
        where: { subjectType: "offer", subjectId: { in: offers.map((o) => o.id) }, type: "offer.answered" },
      }),
    ).toBe(1);
  });

  it("a candidate holds at most one accepted organ of a type", async () => {
    const { id: candidateId } = await centreCaller().waitlist.add(kidneyCandidate({ cpra: 0 }));
    const c = await openCase([
      { type: "KIDNEY", laterality: "LEFT" },
      { type: "KIDNEY", laterality: "RIGHT" },
    ]);
    const [left, right] = c.organs as unknown as [{ id: string }, { id: string }];
    const runs = await Promise.all([left, right].map((o) => opoCaller().matchRun.run({ organId: o.id })));
    const now = new Date();
    const [a, b] = await Promise.all(
      [left, right].map((o, i) =>
        prisma.offer.create({
          data: {
            organId: o.id,
            matchRunId: runs[i]?.matchRunId as string,
            candidateId,
            centerId: centre.org.id,
            rank: 1,
            sentAt: now,
            deadline: new Date(now.getTime() + 3_600_000),
          },
        }),
      ),
    );
    await centreCaller().offer.answer({ offerId: a?.id as string, answer: "ACCEPT" });
    const second = await refusal(centreCaller().offer.answer({ offerId: b?.id as string, answer: "ACCEPT" }));
    expect(second).toMatchObject({
      code: "CONFLICT",
      message: "this candidate already holds an accepted kidney",
    });
    // Nothing of the refused acceptance stays: the right kidney is still unallocated, its offer open.
    expect(await prisma.organ.findUniqueOrThrow({ where: { id: right.id } })).toMatchObject({
      acceptedOfferId: null,
    });
    expect(await prisma.offer.findUniqueOrThrow({ where: { id: b?.id as string } })).toMatchObject({
      status: "PENDING",
    });
  });

  it("another centre cannot answer, another OPO cannot run or offer", async () => {
    const { organId, run } = await kidneyWithCandidates(1);
    await opoCaller().offer.sendNext({ matchRunId: run.matchRunId });
    const offer = await prisma.offer.findFirstOrThrow({ where: { organId } });
    const other = createCaller({ user: asUser(otherCentre) });
    expect((await refusal(other.offer.answer({ offerId: offer.id, answer: "ACCEPT" }))).code).toBe(
      "NOT_FOUND",
    );
    const otherOpo = createCaller({ user: asUser(await createStaff({ kind: "OPO" })) });
    expect((await refusal(otherOpo.matchRun.run({ organId }))).code).toBe("NOT_FOUND");
    expect((await refusal(otherOpo.offer.sendNext({ matchRunId: run.matchRunId }))).code).toBe("NOT_FOUND");
    expect((await refusal(otherOpo.matchRun.get({ matchRunId: run.matchRunId }))).code).toBe("NOT_FOUND");
  });

  it("a ranking longer than its stored head: the rest is packed, offered from, shown, replayed and checked", async () => {
    await kidneyWithCandidates(0); // earlier tests' candidates leave the list
    const ids: string[] = [];
    for (let i = 0; i < 520; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, k) =>
          centreCaller().waitlist.add(
            kidneyCandidate({ cpra: (i + k) % 90, listedAt: `20${10 + ((i + k) % 15)}-03-01` }),
          ),
        ),
      );
      ids.push(...batch.map((c) => c.id));
    }
    const c = await openCase([{ type: "KIDNEY", laterality: "LEFT" }]);
    const run = await opoCaller().matchRun.run({ organId: c.organs[0]?.id as string });
    expect(run.ranked).toBe(520);

    const stored = await prisma.matchRun.findUniqueOrThrow({ where: { id: run.matchRunId } });
    expect((stored.ranking as { ranked: unknown[] }).ranked).toHaveLength(500);
    expect(stored.rankingTail?.byteLength).toBeGreaterThan(20 * 34);

    // A candidate ranked in the packed rest can be offered out of sequence, and stays in view.
    const detail = await opoCaller().matchRun.get({ matchRunId: run.matchRunId });
    expect(detail.rankedTotal).toBe(520);
    expect(detail.ranked).toHaveLength(200);
    const all = await prisma.matchRun.findUniqueOrThrow({ where: { id: run.matchRunId } });
    const rows = storedRankedRows(all);
    expect(rows.map((r) => r.rank)).toEqual(Array.from({ length: 520 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.candidateId))).toEqual(new Set(ids));
    for (let i = 1; i < rows.length; i++)
      expect((rows[i - 1] as { score: number }).score).toBeGreaterThanOrEqual(rows[i]?.score as number);
    const far = rows[509];
    const out = await opoCaller().offer.sendOutOfOrder({
      matchRunId: run.matchRunId,
      candidateId: far?.candidateId as string,
      reason: `Only centre able to receive before the ischemia limit ${unique()}`,
    });
    expect(out.skippedRanks).toBe(509);
    const withOffer = await opoCaller().matchRun.get({ matchRunId: run.matchRunId });
    expect(withOffer.ranked.find((r) => r.candidateId === far?.candidateId)).toMatchObject({
      rank: 510,
      offer: { status: "PENDING" },
    });

    const reg = createCaller({ user: asUser(regulator) });
    expect(await reg.matchRun.replay({ matchRunId: run.matchRunId })).toMatchObject({
      identical: true,
      snapshotVerified: true,
      ranked: 520,
    });
    // Two packed rows swapped: the replay names the ranks.
    const tail = Buffer.from(stored.rankingTail as Uint8Array);
    const rowBytes = 34;
    const firstRow = tail.length - 20 * rowBytes;
    const a = Buffer.from(tail.subarray(firstRow + 5 * rowBytes, firstRow + 6 * rowBytes));
    tail.copy(tail, firstRow + 5 * rowBytes, firstRow + 6 * rowBytes, firstRow + 7 * rowBytes);
    a.copy(tail, firstRow + 6 * rowBytes);
    await prisma.matchRun.update({ where: { id: run.matchRunId }, data: { rankingTail: tail } });
    const altered = await reg.matchRun.replay({ matchRunId: run.matchRunId });
    expect(altered.identical).toBe(false);
    expect(altered.differences.slice(0, 2).map((d) => d.split(":")[0])).toEqual(["rank 506", "rank 507"]);
  });
});

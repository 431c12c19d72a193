import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import type { TSessionUser } from "@/server/auth/roles";
import { readPrivateNotes } from "@/server/consent/private-note";
import { prisma } from "@/server/db";
import { readEventsWithProofs } from "@/server/ledger/read-events";
import { verifyEvents } from "@/server/ledger/verify-events";
import { listBypassedOffers } from "@/server/regulator/allocation-oversight";
import {
  allocationDesk,
  asUser,
  callerFor,
  kidneyCandidate,
  refusal,
  unique,
} from "@/test/factories/allocation-factory";
import { createColleague, createStaff, type TStaff } from "@/test/factories/organ-factory";
import { setUpIsolatedStaff } from "@/test/setup/isolated-staff";
import { answerOffer } from "./answer-offer";
import { expireOverdueOffers } from "./expire-overdue-offers";
import { sendNextOffers } from "./send-next-offers";

/** Offers: order, deadlines, expiry, out-of-sequence reasons, concurrent accepts, who may answer. */

// A schema of this file's own: rankings read the whole waiting list, so they see only these candidates.
let opo: TStaff;
let centre: TStaff;
let otherCentre: TStaff;
const { opoCaller, centreCaller, openCase, kidneyWithCandidates } = allocationDesk(() => ({ opo, centre }));

setUpIsolatedStaff("of", ["OPO", "TRANSPLANT_CENTER", "TRANSPLANT_CENTER"], (staff) => {
  [opo, centre, otherCentre] = staff;
});

describe("offers", () => {
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
    // The ledger commits to the reason; its words are an erasable note.
    const note = (bypassed.payload as { reason: { id: string; commitment: string } }).reason;
    expect(bypassed.payload).toMatchObject({
      skippedRanks: [1, 2, 3],
      reason: { commitment: expect.stringMatching(/^0x/) },
    });
    expect(JSON.stringify(bypassed.payload)).not.toContain("Ischemia");
    expect((await readPrivateNotes({ ids: [note.id] })).get(note.id)).toBe(reason);
    const oversight = await listBypassedOffers();
    expect(oversight.find((o) => o.offerId === out.offerId)).toMatchObject({ reason });

    // A refusal's note likewise.
    await centreCaller().offer.answer({
      offerId: out.offerId,
      answer: "REFUSE",
      reasonCode: "OTHER",
      note: `Recipient Ms Example unwell ${unique()}`,
    });
    const answered = await prisma.ledgerEvent.findFirstOrThrow({
      where: { subjectType: "offer", subjectId: out.offerId, type: "offer.answered" },
    });
    expect(JSON.stringify(answered.payload)).not.toContain("Example");
    const refusalNote = (answered.payload as { note: { id: string } }).note;
    expect((await readPrivateNotes({ ids: [refusalNote.id] })).get(refusalNote.id)).toMatch(
      /^Recipient Ms Example/,
    );
    // The offer's row never holds the words (an overwrite would leave them in a dead row version):
    // codes and note ids; the pages open the notes.
    const stored = await prisma.offer.findUniqueOrThrow({ where: { id: out.offerId } });
    expect(stored).toMatchObject({
      refusalReason: "OTHER",
      refusalNoteId: refusalNote.id,
      bypassReason: null,
      bypassNoteId: note.id,
    });
    const shown = (await centreCaller().offer.forCentre()).offers.find((o) => o.offerId === out.offerId);
    expect(shown).toMatchObject({ bypassReason: reason, hasNote: true });
    expect(shown?.refusalReason).toMatch(/^OTHER: Recipient Ms Example/);

    // Erased: the words are gone from the notes and the offer, the offer's chain still verifies.
    // Neither another OPO nor another centre may: the offer is not theirs to know of.
    const otherOpo = await createStaff({ kind: "OPO" });
    const otherCentre = await createStaff({ kind: "TRANSPLANT_CENTER" });
    for (const stranger of [otherOpo, otherCentre])
      expect((await refusal(callerFor(stranger).offer.eraseNotes({ offerId: out.offerId }))).code).toBe(
        "NOT_FOUND",
      );
    expect((await opoCaller().offer.eraseNotes({ offerId: out.offerId })).notesErased).toBe(2);
    expect((await refusal(centreCaller().offer.eraseNotes({ offerId: out.offerId }))).code).toBe("CONFLICT");
    const notes = await readPrivateNotes({ ids: [note.id, refusalNote.id] });
    expect([notes.get(note.id), notes.get(refusalNote.id)]).toEqual([null, null]);
    const offerRow = await prisma.offer.findUniqueOrThrow({ where: { id: out.offerId } });
    expect(offerRow).toMatchObject({ refusalReason: "OTHER", bypassReason: null });
    expect(
      (await centreCaller().offer.forCentre()).offers.find((o) => o.offerId === out.offerId),
    ).toMatchObject({
      refusalReason: "OTHER: (note erased)",
      bypassReason: "(reason erased)",
      hasNote: false,
    });
    expect((await listBypassedOffers()).find((o) => o.offerId === out.offerId)).toMatchObject({
      reason: "(reason erased)",
      skippedRanks: [1, 2, 3],
    });
    const { events, batches } = await readEventsWithProofs({ subjectType: "offer", subjectId: out.offerId });
    expect(events.map((e) => e.type).slice(0, 3)).toEqual(["offer.bypassed", "offer.sent", "offer.answered"]);
    expect(events.at(-1)).toMatchObject({ type: "offer.notes_erased", payload: { notesErased: 2 } });
    expect(verifyEvents({ events, batches, onChainRoots: new Map(), wholeSubjects: true }).findings).toEqual(
      [],
    );
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
});

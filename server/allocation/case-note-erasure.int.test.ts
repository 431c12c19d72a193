import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPrivateNotes } from "@/server/consent/private-note";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import { decryptJson } from "@/server/crypto/envelope";
import { disconnectPrisma, prisma } from "@/server/db";
import { readEventsWithProofs } from "@/server/ledger/read-events";
import { verifyEvents } from "@/server/ledger/verify-events";
import { callerFor, openDonorCase, refusal } from "@/test/factories/allocation-factory";
import { createColleague, createStaff, type TStaff } from "@/test/factories/organ-factory";

let opo: TStaff;
let colleague: TStaff;
let otherOpo: TStaff;
let centre: TStaff;

beforeAll(async () => {
  [opo, otherOpo, centre] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
  ]);
  // Another coordinator of the same OPO: the organisation owns the case, not the one who closed it.
  colleague = { org: opo.org, user: await createColleague(opo) };
});
afterAll(async () => {
  await disconnectPrisma();
});

async function caseFindings(donorCaseId: string) {
  const { events, batches } = await readEventsWithProofs({
    subjectType: "donor_case",
    subjectId: donorCaseId,
  });
  return {
    types: events.map((e) => e.type),
    findings: verifyEvents({ events, batches, onChainRoots: new Map(), wholeSubjects: true }).findings,
  };
}

describe("a donor case's closing note is erasable", () => {
  it("the owning OPO erases it: unreadable in the row and the note, a ledger event, the case's chain verifies", async () => {
    const opened = await openDonorCase(opo);
    const words = `Family told by Dr ${randomUUID().slice(0, 8)} in the relatives' room`;
    await callerFor(opo).donorCase.close({
      donorCaseId: opened.donorCaseId,
      reasonCode: "OTHER",
      note: words,
    });
    // The case page reads the note back, opened from its encrypted record.
    const before = await callerFor(opo).donorCase.get({ id: opened.donorCaseId });
    expect(before).toMatchObject({ status: "CLOSED", closedNote: words, closedNoteErased: false });
    const row = await prisma.donorCase.findUniqueOrThrow({ where: { id: opened.donorCaseId } });
    const noteId = row.closedNoteId as string;
    const stored = await prisma.privateNote.findUniqueOrThrow({ where: { id: noteId } });
    expect(stored.ciphertext).not.toBeNull();

    // Another OPO, and a centre, are told there is no such case; a missing confirmation is refused.
    expect(
      (await refusal(callerFor(otherOpo).donorCase.eraseNote({ donorCaseId: row.id, confirm: "ERASE" })))
        .code,
    ).toBe("NOT_FOUND");
    await expect(
      callerFor(centre).donorCase.eraseNote({ donorCaseId: row.id, confirm: "ERASE" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const unconfirmed = await refusal(
      callerFor(opo).donorCase.eraseNote({ donorCaseId: row.id, confirm: "yes" as "ERASE" }),
    );
    expect(unconfirmed.fieldErrors).toHaveProperty("confirm");
    expect((await prisma.privateNote.findUniqueOrThrow({ where: { id: noteId } })).ciphertext).not.toBeNull();

    expect(await callerFor(colleague).donorCase.eraseNote({ donorCaseId: row.id, confirm: "ERASE" })).toEqual(
      {
        donorCaseId: row.id,
        noteErased: true,
      },
    );

    // The working row holds no text, the note's key and ciphertext are gone (its commitment stays),
    // and the copy of the note's wrapped key an old row version keeps no longer unwraps.
    const after = await prisma.donorCase.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ closedNote: null, closedNoteId: noteId, closedReasonCode: "OTHER" });
    expect(JSON.stringify(after)).not.toContain(words);
    expect(await prisma.privateNote.findUniqueOrThrow({ where: { id: noteId } })).toMatchObject({
      ciphertext: null,
      wrappedKey: null,
      commitment: stored.commitment,
    });
    expect((await readPrivateNotes({ ids: [noteId] })).get(noteId)).toBeNull();
    expect(() =>
      decryptJson({
        ring: dataKeyRing(),
        wrappedKey: stored.wrappedKey as string,
        ciphertext: stored.ciphertext as string,
        context: `PrivateNote.text:${noteId}`,
      }),
    ).toThrow();
    const shown = await callerFor(opo).donorCase.get({ id: row.id });
    expect(shown).toMatchObject({ closedNote: null, closedNoteErased: true, closedReasonCode: "OTHER" });

    // Nothing is left to erase; the erasure is on the case's chain, which verifies whole.
    expect(
      (await refusal(callerFor(opo).donorCase.eraseNote({ donorCaseId: row.id, confirm: "ERASE" }))).code,
    ).toBe("CONFLICT");
    const { types, findings } = await caseFindings(row.id);
    expect(types).toEqual(["donor_case.opened", "donor_case.closed", "donor_case.note_erased"]);
    expect(findings).toEqual([]);
    const erasedEvent = await prisma.ledgerEvent.findFirstOrThrow({
      where: { subjectType: "donor_case", subjectId: row.id, type: "donor_case.note_erased" },
    });
    expect(erasedEvent).toMatchObject({ payload: { donorCaseId: row.id }, actorOrgId: opo.org.id });
    expect(JSON.stringify(erasedEvent.payload)).not.toContain(words);
  });

  it("a case closed before notes were encrypted has its plain-text note cleared", async () => {
    const opened = await openDonorCase(opo);
    await callerFor(opo).donorCase.close({
      donorCaseId: opened.donorCaseId,
      reasonCode: "NO_SUITABLE_RECIPIENT",
    });
    // As an older version of the portal wrote it: the words in the case's row.
    const words = `Called Mrs ${randomUUID().slice(0, 8)} at home`;
    await prisma.donorCase.update({ where: { id: opened.donorCaseId }, data: { closedNote: words } });
    expect((await callerFor(opo).donorCase.get({ id: opened.donorCaseId })).closedNote).toBe(words);

    await callerFor(opo).donorCase.eraseNote({ donorCaseId: opened.donorCaseId, confirm: "ERASE" });
    const after = await prisma.donorCase.findUniqueOrThrow({ where: { id: opened.donorCaseId } });
    expect(after.closedNote).toBeNull();
    expect((await callerFor(opo).donorCase.get({ id: opened.donorCaseId })).closedNote).toBeNull();
    expect((await caseFindings(opened.donorCaseId)).findings).toEqual([]);
  });

  it("a case closed without a note has nothing to erase", async () => {
    const opened = await openDonorCase(opo);
    await callerFor(opo).donorCase.close({
      donorCaseId: opened.donorCaseId,
      reasonCode: "ALL_ORGANS_PLACED",
    });
    expect(
      (
        await refusal(
          callerFor(opo).donorCase.eraseNote({ donorCaseId: opened.donorCaseId, confirm: "ERASE" }),
        )
      ).code,
    ).toBe("CONFLICT");
    expect((await callerFor(opo).donorCase.get({ id: opened.donorCaseId })).closedNoteErased).toBe(false);
  });
});

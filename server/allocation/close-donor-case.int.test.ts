import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPrivateNotes } from "@/server/consent/private-note";
import { disconnectPrisma, prisma } from "@/server/db";
import { isAppError } from "@/server/errors";
import { createStaff, type TStaff } from "@/test/factories/organ-factory";
import { closeDonorCase } from "./close-donor-case";
import { runMatch } from "./run-match";

let opo: TStaff;
let otherOpo: TStaff;

beforeAll(async () => {
  [opo, otherOpo] = await Promise.all([createStaff({ kind: "OPO" }), createStaff({ kind: "OPO" })]);
});
afterAll(async () => {
  await disconnectPrisma();
});

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error("expected a refusal");
};

async function openCase() {
  const c = await prisma.donorCase.create({
    data: {
      code: `CLOSE-${randomBytes(4).toString("hex")}`,
      opoId: opo.org.id,
      referralHospital: "Test General",
      donor: {},
      organs: {
        create: [
          {
            type: "KIDNEY",
            laterality: "LEFT",
            din: `${opo.org.code}26${randomBytes(3).toString("hex").toUpperCase()}X`,
          },
        ],
      },
    },
    include: { organs: true },
  });
  return c;
}

describe("closeDonorCase", () => {
  it("closes an open case with a reason as a ledger event; the note stays off the ledger", async () => {
    const c = await openCase();
    const out = await closeDonorCase({
      input: {
        donorCaseId: c.id,
        reasonCode: "NO_SUITABLE_RECIPIENT",
        note: "Family informed by Dr Adeyemi",
      },
      user: opo.user,
    });
    expect(out).toEqual({ donorCaseId: c.id, status: "CLOSED" });
    const closed = await prisma.donorCase.findUniqueOrThrow({ where: { id: c.id } });
    expect(closed).toMatchObject({
      status: "CLOSED",
      closedReasonCode: "NO_SUITABLE_RECIPIENT",
      // The note is never plain text in the case's row: an encrypted, erasable note.
      closedNote: null,
    });
    const notes = await readPrivateNotes({ ids: [closed.closedNoteId as string] });
    expect(notes.get(closed.closedNoteId as string)).toBe("Family informed by Dr Adeyemi");
    const events = await prisma.ledgerEvent.findMany({
      where: { subjectType: "donor_case", subjectId: c.id },
    });
    expect(events.map((e) => e.type)).toEqual(["donor_case.closed"]);
    expect(events[0]?.payload).toEqual({ donorCaseId: c.id, reasonCode: "NO_SUITABLE_RECIPIENT" });
    // Closed is final: closing again and running a match are refused by name.
    expect(
      (
        await refusal(
          closeDonorCase({ input: { donorCaseId: c.id, reasonCode: "OTHER", note: "x" }, user: opo.user }),
        )
      ).code,
    ).toBe("CONFLICT");
    const run = await refusal(runMatch({ organId: c.organs[0]?.id as string, user: opo.user }));
    expect(run).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("donor case is closed") });
  });

  it("needs a note for 'other', and another OPO's case is not found; nothing is written", async () => {
    const c = await openCase();
    expect(
      (await refusal(closeDonorCase({ input: { donorCaseId: c.id, reasonCode: "OTHER" }, user: opo.user })))
        .message,
    ).toMatch(/^note:/);
    expect(
      (
        await refusal(
          closeDonorCase({
            input: { donorCaseId: c.id, reasonCode: "ALL_ORGANS_PLACED" },
            user: otherOpo.user,
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect((await prisma.donorCase.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("OPEN");
    expect(await prisma.ledgerEvent.count({ where: { subjectType: "donor_case", subjectId: c.id } })).toBe(0);
  });
});

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "@/server/db";
import { readEventsWithProofs } from "@/server/ledger/read-events";
import { verifyEvents } from "@/server/ledger/verify-events";
import { callerFor, kidneyCandidate, openDonorCase, refusal } from "@/test/factories/allocation-factory";
import { createStaff, type TStaff } from "@/test/factories/organ-factory";
import type { TCandidateEntry } from "./records";

/**
 * A heart candidate with clinical detail one can search the database for (hearts: other test files
 * sharing the database replay kidney runs, which an erased candidate would make unrepeatable).
 */
const candidate = (dateOfBirth: string): TCandidateEntry =>
  kidneyCandidate({
    organ: "HEART",
    dialysisStartedAt: null,
    dateOfBirth,
    diabetes: true,
    urgency: { highUrgency: false, heartStatus: 2 },
  });

let opo: TStaff;
let centre: TStaff;
let regulator: TStaff;
let otherCentre: TStaff;
const caller = callerFor;
const heart = async () =>
  (await openDonorCase(opo, { organs: [{ type: "HEART", laterality: null }] })).organs[0]?.id as string;

async function verifiedSubject(subjectType: string, subjectId: string) {
  const { events, batches } = await readEventsWithProofs({ subjectType, subjectId });
  expect(events.length).toBeGreaterThan(0);
  return verifyEvents({ events, batches, onChainRoots: new Map(), wholeSubjects: true }).findings;
}

beforeAll(async () => {
  [opo, centre, regulator, otherCentre] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
    createStaff({ kind: "REGULATOR" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
  ]);
});
afterAll(async () => {
  await disconnectPrisma();
});

describe("a candidate's clinical detail is off the ledger and erasable", () => {
  it("the ledger carries a commitment, not the detail; erasure leaves it verifiable and the detail unreadable", async () => {
    // A birth date no other test uses, to search every ledger payload for.
    const born = `19${String(10 + ((randomBytes(1)[0] as number) % 80)).padStart(2, "0")}-0${1 + ((randomBytes(1)[0] as number) % 9)}-1${(randomBytes(1)[0] as number) % 10}`;
    const { id } = await caller(centre).waitlist.add(candidate(born));
    await caller(centre).waitlist.update({ id, entry: { ...candidate(born), cpra: 20 } });
    const events = await prisma.ledgerEvent.findMany({ where: { subjectType: "candidate", subjectId: id } });
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(Object.keys(e.payload as object).sort()).toEqual(["candidateId", "centreId", "organ", "record"]);
      expect(JSON.stringify(e.payload)).not.toContain(born);
    }

    const organId = await heart();
    const run = await caller(opo).matchRun.run({ organId });
    const detail = await caller(opo).matchRun.get({ matchRunId: run.matchRunId });
    expect(detail.ranked.map((r) => r.candidateId)).toContain(id);
    const reg = caller(regulator);
    expect(await reg.matchRun.replay({ matchRunId: run.matchRunId })).toMatchObject({ identical: true });

    // Erasure waits until the candidate has left the list.
    const erase = { candidateId: id, reasonCode: "RECIPIENT_REQUEST", confirm: "ERASE" } as const;
    const early = await refusal(caller(centre).waitlist.erase(erase));
    expect(early.fieldErrors).toEqual({ candidateId: "remove the candidate from the list first" });
    await caller(centre).waitlist.setStatus({ candidateId: id, status: "REMOVED", reason: "Moved abroad" });
    // Another centre's coordinator is told there is no such candidate; the confirmation is required.
    expect((await refusal(caller(otherCentre).waitlist.erase(erase))).code).toBe("NOT_FOUND");
    expect(
      (await refusal(caller(centre).waitlist.erase({ ...erase, confirm: "yes" as "ERASE" }))).fieldErrors,
    ).toHaveProperty("confirm");
    expect(await prisma.candidate.findUniqueOrThrow({ where: { id } })).toMatchObject({ erasedAt: null });
    await caller(centre).waitlist.erase(erase);
    expect((await refusal(caller(centre).waitlist.erase(erase))).code).toBe("CONFLICT");
    const erasedEvent = await prisma.ledgerEvent.findFirstOrThrow({
      where: { subjectType: "candidate", subjectId: id, type: "candidate.erased" },
    });
    expect(erasedEvent).toMatchObject({
      schemaVersion: 2,
      payload: { candidateId: id, reasonCode: "RECIPIENT_REQUEST" },
      actorOrgId: centre.org.id,
    });

    // Nothing readable stays: no key, no ciphertext, no clinical detail in the working row.
    const row = await prisma.candidate.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      wrappedKey: null,
      dateOfBirth: null,
      sex: null,
      heightCm: null,
      diabetes: null,
    });
    expect(row.erasedAt).toBeInstanceOf(Date);
    const records = await prisma.candidateRecord.findMany({ where: { candidateId: id } });
    expect(records).toHaveLength(3);
    expect(records.every((r) => r.ciphertext === null && /^0x[0-9a-f]{64}$/.test(r.commitment))).toBe(true);
    expect((await caller(centre).waitlist.history({ id })).map((h) => h.reason)).not.toContain(
      "Moved abroad",
    );

    // The ledger still verifies: the candidate's events and the run's are unchanged.
    expect(await verifiedSubject("candidate", id)).toEqual([]);
    expect(await verifiedSubject("match_run", run.matchRunId)).toEqual([]);
    // A replay of the run still checks its snapshot, and says the candidate can no longer be re-ranked.
    const replay = await reg.matchRun.replay({ matchRunId: run.matchRunId });
    expect(replay.snapshotVerified).toBe(true);
    expect(replay.identical).toBe(false);
    expect(replay.differences[0]).toMatch(/1 candidate record\(s\) the run read were erased since/);

    // A later run excludes them by name; nothing more can be recorded for them.
    const next = await caller(opo).matchRun.run({ organId });
    const after = await caller(opo).matchRun.get({ matchRunId: next.matchRunId });
    expect(after.excluded.find((e) => e.candidateId === id)?.message).toMatch(/record was erased/);
    // That run read them as erased already: its replay is identical (CI once found it "erased since").
    expect(await reg.matchRun.replay({ matchRunId: next.matchRunId })).toMatchObject({
      identical: true,
      differences: [],
    });
    const refused = await caller(centre)
      .waitlist.update({ id, entry: candidate(born) })
      .catch((e) => e);
    expect(refused.message).toMatch(/this candidate was erased/);
  });
});

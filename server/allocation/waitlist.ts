import "server-only";

import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { actorOf } from "@/server/consent/donor-record";
import { KEY_WAIT, lockDataKeysShared } from "@/server/consent/key-lock";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import { createRecordKey } from "@/server/crypto/envelope";
import { prisma, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { type Candidate, Prisma } from "@/server/generated/prisma/client";
import {
  clearedClinicalColumns,
  currentCandidateInput,
  openStatusReason,
  sealStatusReason,
} from "./candidate-current";
import { type TCandidateEntry, validateCandidateEntry, ZCandidateEntrySchema } from "./records";
import { lockWaitlistForWrite, recordCandidateVersion } from "./waitlist-state";

export { ZCandidateEntrySchema };

const centreOf = async (user: TSessionUser) => {
  if (!user.organisationId) throw new AppError("FORBIDDEN", "you are not a member of a transplant centre");
  return prisma.organisation.findUniqueOrThrow({ where: { id: user.organisationId } });
};

/** The entry as a whole row: what the engine's input is built from (never all stored, see below). */
const data = (e: TCandidateEntry) => ({
  organ: e.organ,
  abo: e.abo,
  hla: e.hla,
  unacceptable: e.unacceptable,
  cpra: e.cpra,
  listedAt: new Date(`${e.listedAt}T00:00:00Z`),
  dialysisStartedAt: e.dialysisStartedAt ? new Date(`${e.dialysisStartedAt}T00:00:00Z`) : null,
  dateOfBirth: new Date(`${e.dateOfBirth}T00:00:00Z`),
  sex: e.sex,
  heightCm: e.heightCm,
  weightKg: e.weightKg,
  priorLivingDonor: e.priorLivingDonor,
  priorTransplants: e.priorTransplants,
  diabetes: e.diabetes,
  urgency: e.urgency,
  // An update without allocation inputs clears them: the entry is the whole record.
  allocation: e.allocation ?? Prisma.DbNull,
});

/**
 * What the working row stores of an entry: no clinical detail (it is sealed in the candidate's
 * encrypted record), so an erasure overwrites nothing personal that an old row version would keep.
 */
const stored = (e: TCandidateEntry) => ({
  ...data(e),
  ...clearedClinicalColumns(),
  allocation: Prisma.DbNull,
});

/** The row as the engine reads it: the stored row with the entry's clinical detail, in memory only. */
const withEntry = (row: Candidate, e: TCandidateEntry): Candidate => {
  const full = data(e);
  return { ...row, ...full, allocation: (e.allocation ?? null) as Candidate["allocation"] };
};

/** Lists a centre's own waiting list (pseudonymous codes; other centres never see it). */
export async function listCandidates({
  user,
  organ,
  status,
}: {
  user: TSessionUser;
  organ?: TCandidateEntry["organ"];
  status?: z.output<typeof ZStatusChangeSchema>["status"];
}) {
  const rows = await prisma.candidate.findMany({
    where: {
      centerId: user.organisationId ?? "",
      ...(organ ? { organ } : {}),
      ...(status ? { status } : {}),
    },
    orderBy: [{ organ: "asc" }, { listedAt: "asc" }],
    take: 1000,
  });
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    organ: r.organ,
    status: r.status,
    abo: r.abo,
    cpra: r.cpra,
    listedAt: r.listedAt,
    erasedAt: r.erasedAt,
  }));
}

/** Adds a candidate to the caller's centre's list, validated by the engine's own rules. */
export async function addCandidate({ entry, user }: { entry: TCandidateEntry; user: TSessionUser }) {
  const centre = await centreOf(user);
  validateCandidateEntry(entry, centre);
  return withTransaction(async (tx) => {
    await lockWaitlistForWrite(tx);
    // Codes run on from the centre's highest, one listing at a time per centre: without the lock,
    // ten listings at once picked the same code and all but one failed.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`candidate-code:${centre.id}`}, 0))`;
    const last = await tx.candidate.findFirst({
      where: { centerId: centre.id, code: { startsWith: `${centre.code}-` } },
      orderBy: { code: "desc" },
      select: { code: true },
    });
    const next = (Number.parseInt(last?.code.slice(centre.code.length + 1) ?? "0", 10) || 0) + 1;
    const code = `${centre.code}-${String(next).padStart(5, "0")}`;
    // The candidate's own data key, created with the row: its recorded versions are sealed under it.
    const wrappedKey = createRecordKey({ ring: dataKeyRing() });
    const row = await tx.candidate.create({
      data: { ...stored(entry), centerId: centre.id, code, wrappedKey },
    });
    await recordCandidateVersion({ tx, row: withEntry(row, entry), centre, actor: actorOf(user) });
    await tx.candidateStatusChange.create({
      data: { candidateId: row.id, from: null, to: "ACTIVE", reason: "Listed", byUserId: user.id },
    });
    return { id: row.id, code: row.code };
  });
}

async function ownCandidate(id: string, user: TSessionUser, { toWrite = true } = {}) {
  const row = await prisma.candidate.findUnique({ where: { id } });
  if (!row || row.centerId !== user.organisationId)
    throw new AppError("NOT_FOUND", "no such candidate on your centre's list");
  if (toWrite && row.erasedAt)
    throw new AppError("CONFLICT", "this candidate was erased: nothing more can be recorded");
  return row;
}

/** Updates a candidate's clinical data (same validation as listing). */
export async function updateCandidate({
  id,
  entry,
  user,
}: {
  id: string;
  entry: TCandidateEntry;
  user: TSessionUser;
}) {
  await ownCandidate(id, user);
  const centre = await centreOf(user);
  validateCandidateEntry(entry, centre);
  await withTransaction(async (tx) => {
    await lockWaitlistForWrite(tx);
    const row = await tx.candidate.update({ where: { id }, data: stored(entry) });
    await recordCandidateVersion({ tx, row: withEntry(row, entry), centre, actor: actorOf(user) });
  });
  return { id };
}

export const ZStatusChangeSchema = z.object({
  candidateId: z.uuid("candidateId must be a candidate id"),
  status: z.enum(["ACTIVE", "INACTIVE", "TRANSPLANTED", "REMOVED"], {
    error: "status must be ACTIVE, INACTIVE, TRANSPLANTED or REMOVED",
  }),
  reason: z
    .string()
    .trim()
    .min(3, "give a reason for the change (3 characters at least)")
    .max(500, "too long"),
});

/** Activates or inactivates a candidate; every change is kept with its reason. */
export async function setCandidateStatus({
  input,
  user,
}: {
  input: z.output<typeof ZStatusChangeSchema>;
  user: TSessionUser;
}) {
  const row = await ownCandidate(input.candidateId, user);
  if (row.status === input.status)
    throw new AppError("CONFLICT", `the candidate is already ${input.status.toLowerCase()}`);
  const centre = await centreOf(user);
  await withTransaction(async (tx) => {
    await lockWaitlistForWrite(tx);
    const updated = await tx.candidate.update({ where: { id: row.id }, data: { status: input.status } });
    // The clinical detail as last recorded (an older row still holds it in its columns).
    const current = await currentCandidateInput(tx, row.id);
    await recordCandidateVersion({
      tx,
      row: updated,
      centre,
      actor: actorOf(user),
      ...(current ? { candidate: { ...current, status: input.status } } : {}),
    });
    // The reason may say why about the person ("moved abroad"): encrypted under their key.
    const { wrappedKey } = await tx.candidate.findUniqueOrThrow({
      where: { id: row.id },
      select: { wrappedKey: true },
    });
    const changeId = randomUUID();
    await tx.candidateStatusChange.create({
      data: {
        id: changeId,
        candidateId: row.id,
        from: row.status,
        to: input.status,
        reason: sealStatusReason({ id: changeId, reason: input.reason, wrappedKey: wrappedKey as string }),
        byUserId: user.id,
      },
    });
  });
  return { id: row.id, status: input.status };
}

/** A candidate's status history, newest first. */
export async function candidateHistory({ id, user }: { id: string; user: TSessionUser }) {
  await ownCandidate(id, user, { toWrite: false });
  // The key is read and the reasons opened under the data-key lock (shared): no erasure destroys
  // the KEK in between.
  return withTransaction(async (tx) => {
    await lockDataKeysShared(tx);
    const { wrappedKey } = await tx.candidate.findUniqueOrThrow({
      where: { id },
      select: { wrappedKey: true },
    });
    const changes = await tx.candidateStatusChange.findMany({
      where: { candidateId: id },
      orderBy: { at: "desc" },
      select: { id: true, from: true, to: true, reason: true, at: true },
    });
    return changes.map(({ id: changeId, reason, ...c }) => ({
      ...c,
      reason: openStatusReason({ id: changeId, reason, wrappedKey }),
    }));
  }, KEY_WAIT);
}

import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { actorOf } from "@/server/consent/donor-record";
import { eraseAndRotate, type TErasureKeys } from "@/server/consent/erase-and-rotate";
import { AppError } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { appendEvent } from "@/server/ledger/append-event";
import { shredCandidateRecords } from "./candidate-record";
import type { TCandidateErasureReason } from "./erase-candidate-reasons";
import { lockWaitlistForWrite } from "./waitlist-state";

const notFound = () =>
  new AppError("NOT_FOUND", "candidateId: no such candidate on your centre's list", {
    candidateId: "no such candidate on your centre's list",
  });

/**
 * Erases a candidate who has left the list (transplanted or removed), e.g. on the recipient's
 * request: every recorded version is crypto-shredded, the working row keeps its code, organ, blood
 * group and listing date but no clinical detail, status reasons are cleared, a `candidate.erased`
 * event with the reason's code is appended, and the key-encryption key is rotated (so the dead row
 * versions of the candidate's wrapped key no longer unwrap). Only the candidate's own centre may
 * erase; another's candidate is not found. The ledger's `candidate.recorded` events stay and verify;
 * a replay of a run that ranked the candidate says their record was erased.
 */
export async function eraseCandidate({
  candidateId,
  reasonCode,
  user,
  now = new Date(),
  keys,
}: {
  candidateId: string;
  reasonCode: TCandidateErasureReason;
  user: TSessionUser;
  now?: Date;
  keys?: TErasureKeys;
}) {
  await eraseAndRotate(async (tx) => {
    await lockWaitlistForWrite(tx);
    await tx.$executeRaw`SELECT 1 FROM "Candidate" WHERE id = ${candidateId}::uuid FOR UPDATE`;
    const row = await tx.candidate.findUnique({ where: { id: candidateId } });
    if (!row || row.centerId !== user.organisationId) throw notFound();
    if (row.erasedAt) throw new AppError("CONFLICT", "candidateId: this candidate was already erased");
    if (row.status === "ACTIVE" || row.status === "INACTIVE")
      throw new AppError("CONFLICT", "candidateId: remove the candidate from the list before erasing them", {
        candidateId: "remove the candidate from the list first",
      });
    await shredCandidateRecords({ tx, candidateId, now });
    await tx.candidate.update({
      where: { id: candidateId },
      data: {
        dateOfBirth: null,
        sex: null,
        heightCm: null,
        weightKg: null,
        diabetes: null,
        dialysisStartedAt: null,
        hla: {},
        unacceptable: [],
        urgency: {},
        allocation: Prisma.DbNull,
      },
    });
    await tx.candidateStatusChange.updateMany({ where: { candidateId }, data: { reason: "(erased)" } });
    await appendEvent({
      tx,
      subject: { type: "candidate", id: candidateId },
      type: "candidate.erased",
      payload: { candidateId, reasonCode },
      actor: actorOf(user),
      now,
    });
  }, keys);
  return { candidateId, erasedAt: now };
}

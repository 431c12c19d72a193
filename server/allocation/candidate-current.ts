import "server-only";

import { z } from "zod";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import { decryptField, encryptField } from "@/server/crypto/envelope";
import type { prisma, Tx } from "@/server/db";
import type { TCandidateInput } from "@/server/matching/engine/prepare-candidate";
import { openCandidateRecords } from "./candidate-record";

/**
 * A candidate's clinical detail lives only in their encrypted records: the working row keeps the
 * code, organ, blood group, cPRA, listing date and status, so erasing the candidate leaves no old
 * row version with their birth date or HLA behind. Older rows (listed before this) still hold it.
 */
export const clearedClinicalColumns = () => ({
  dateOfBirth: null,
  sex: null,
  heightCm: null,
  weightKg: null,
  diabetes: null,
  dialysisStartedAt: null,
  priorLivingDonor: false,
  priorTransplants: 0,
  hla: {},
  unacceptable: [] as string[],
  urgency: {},
});

type TDb = Tx | typeof prisma;

/**
 * A `candidate.recorded` payload as read back: version 1 held the engine's input itself (checked by
 * the engine's schema where it is ranked or shown), later versions a commitment to the record.
 */
const ZRecordedCandidatePayloadSchema = z.object({
  candidate: z.custom<TCandidateInput>((v) => typeof v === "object" && v !== null).optional(),
  record: z.object({ id: z.string(), commitment: z.string() }).optional(),
});

/**
 * The candidate as last recorded (the engine's input): opened from the record their latest
 * `candidate.recorded` event commits to (checked against the commitment), or that event's payload
 * for version 1. Null once erased, or when nothing was recorded yet (an older row's columns hold it).
 */
export async function currentCandidateInput(db: TDb, candidateId: string): Promise<TCandidateInput | null> {
  const event = await db.ledgerEvent.findFirst({
    where: { subjectType: "candidate", subjectId: candidateId, type: "candidate.recorded" },
    orderBy: { sequence: "desc" },
    select: { payload: true },
  });
  const payload = event ? ZRecordedCandidatePayloadSchema.parse(event.payload) : undefined;
  if (payload?.candidate) return payload.candidate;
  if (!payload?.record) return null;
  const opened = await openCandidateRecords({
    tx: db as Tx,
    refs: [{ candidateId, record: payload.record }],
  });
  const one = opened.get(payload.record.id);
  return one?.ok ? one.candidate : null;
}

const reasonContext = (id: string) => `CandidateStatusChange.reason:${id}`;

/** A status change's stated reason, encrypted under the candidate's key (erased with them). */
export function sealStatusReason({
  id,
  reason,
  wrappedKey,
}: {
  id: string;
  reason: string;
  wrappedKey: string;
}) {
  return encryptField({ ring: dataKeyRing(), wrappedKey, plaintext: reason, context: reasonContext(id) });
}

/** The reason as the coordinator wrote it; "(erased)" once the candidate's key is gone. */
export function openStatusReason({
  id,
  reason,
  wrappedKey,
}: {
  id: string;
  reason: string;
  wrappedKey: string | null;
}): string {
  if (!reason.startsWith("ef1.")) return reason; // written before reasons were encrypted
  if (!wrappedKey) return "(erased)";
  try {
    return decryptField({ ring: dataKeyRing(), wrappedKey, ciphertext: reason, context: reasonContext(id) });
  } catch {
    return "(unreadable)";
  }
}

import "server-only";

import { randomUUID } from "node:crypto";
import { z } from "zod";
import { commit, generateSalt, verifyCommitment } from "@/server/crypto/commitment";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import { createRecordKey, decryptJson, encryptJson } from "@/server/crypto/envelope";
import { ringAsOfNow } from "@/server/crypto/kek-store";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { sqlOf, type TSql, type Tx } from "@/server/db";
import type { TCandidateInput } from "@/server/matching/engine/prepare-candidate";

/**
 * A waiting-list candidate's clinical detail (date of birth, sex, size, HLA, diabetes, dialysis,
 * urgency) stays off the permanent ledger: each version the engine reads is a `CandidateRecord`,
 * encrypted under the candidate's own data key, and its `candidate.recorded` event carries the
 * record's id and a salted commitment to it. Erasing the candidate destroys the key and the
 * ciphertexts: the events still verify, and nothing can be matched to them again.
 */
const recordContext = (id: string) => `CandidateRecord.content:${id}`;
const ZStoredRecordSchema = z.object({ candidate: z.record(z.string(), z.unknown()), salt: z.string() });

export type TCandidateRecordRef = { id: string; commitment: string };

const committed = (id: string, candidateId: string, candidate: unknown) => ({
  recordId: id,
  candidateId,
  candidate,
});

/**
 * Seals this version of the candidate (the engine's input) as an encrypted record under the
 * candidate's key, creating the key for a candidate listed before records existed. Precondition:
 * the caller holds `lockDataKeysShared` since before it read `row` (so its key is current), in the
 * transaction that writes the row.
 */
export async function sealCandidateRecord({
  tx,
  row,
  candidate,
  ring = dataKeyRing(),
}: {
  tx: Tx;
  row: { id: string; wrappedKey: string | null; erasedAt: Date | null };
  candidate: TCandidateInput;
  ring?: TKeyRing;
}): Promise<TCandidateRecordRef> {
  if (row.erasedAt) throw new Error(`candidate ${row.id} was erased: no version can be recorded`);
  let wrappedKey = row.wrappedKey;
  if (!wrappedKey) {
    wrappedKey = createRecordKey({ ring });
    await tx.candidate.update({ where: { id: row.id }, data: { wrappedKey } });
  }
  const sealed = sealRecord({ ring, wrappedKey, candidateId: row.id, candidate });
  await tx.candidateRecord.create({ data: sealed });
  return { id: sealed.id, commitment: sealed.commitment };
}

/**
 * One `CandidateRecord` row (id, ciphertext, salted commitment) for this version of the candidate,
 * under the candidate's wrapped key: what `sealCandidateRecord` stores (also for bulk seeding).
 */
export function sealRecord({
  ring,
  wrappedKey,
  candidateId,
  candidate,
}: {
  ring: TKeyRing;
  wrappedKey: string;
  candidateId: string;
  candidate: TCandidateInput;
}): { id: string; candidateId: string; ciphertext: string; commitment: string } {
  const id = randomUUID();
  const salt = generateSalt();
  const commitment = commit({ salt, value: committed(id, candidateId, candidate) });
  const ciphertext = encryptJson({
    ring,
    wrappedKey,
    context: recordContext(id),
    value: { candidate, salt },
  });
  return { id, candidateId, ciphertext, commitment };
}

export type TOpenedRecord =
  | { ok: true; candidate: TCandidateInput }
  | { ok: false; problem: "erased" | "altered" | "missing" };

/**
 * Opens the records these events commit to, each checked against the commitment in its event:
 * `erased` once the candidate was erased, `altered` when the stored record no longer matches what
 * the ledger committed to, `missing` when there is no such record.
 */
export async function openCandidateRecords({
  tx,
  refs,
  ring = dataKeyRing(),
}: {
  tx: Tx | TSql;
  refs: Array<{ candidateId: string; record: TCandidateRecordRef }>;
  ring?: TKeyRing;
}): Promise<Map<string, TOpenedRecord>> {
  // Direct SQL or a Prisma transaction alike: a match run opens new versions on its own connection.
  const sql = sqlOf(tx);
  const out = new Map<string, TOpenedRecord>();
  // The key folder re-reads its file on every look-up; a bulk open reads it once (as a re-wrap does).
  const keys = ringAsOfNow(ring);
  const CHUNK = 5000;
  for (let i = 0; i < refs.length; i += CHUNK) {
    const chunk = refs.slice(i, i + CHUNK);
    const rows = new Map(
      (
        await sql.query<{ id: string; candidateId: string; ciphertext: string | null }>(
          `SELECT id::text AS id, "candidateId"::text AS "candidateId", ciphertext
             FROM "CandidateRecord" WHERE id = ANY($1::uuid[])`,
          [chunk.map((r) => r.record.id)],
        )
      ).map((r) => [r.id, r]),
    );
    const wrapped = new Map(
      (
        await sql.query<{ id: string; wrappedKey: string | null }>(
          `SELECT id::text AS id, "wrappedKey" FROM "Candidate" WHERE id = ANY($1::uuid[])`,
          [[...new Set(chunk.map((r) => r.candidateId))]],
        )
      ).map((c) => [c.id, c.wrappedKey]),
    );
    for (const ref of chunk)
      out.set(ref.record.id, openOne(keys, ref, rows.get(ref.record.id), wrapped.get(ref.candidateId)));
  }
  return out;
}

function openOne(
  ring: TKeyRing,
  ref: { candidateId: string; record: TCandidateRecordRef },
  row: { candidateId: string; ciphertext: string | null } | undefined,
  wrappedKey: string | null | undefined,
): TOpenedRecord {
  if (!row) return { ok: false, problem: "missing" };
  if (!row.ciphertext || !wrappedKey) return { ok: false, problem: "erased" };
  try {
    const stored = ZStoredRecordSchema.parse(
      decryptJson({ ring, wrappedKey, ciphertext: row.ciphertext, context: recordContext(ref.record.id) }),
    );
    const value = committed(ref.record.id, ref.candidateId, stored.candidate);
    if (
      row.candidateId !== ref.candidateId ||
      !verifyCommitment({ salt: stored.salt, value, commitment: ref.record.commitment })
    )
      return { ok: false, problem: "altered" };
    return { ok: true, candidate: stored.candidate as unknown as TCandidateInput };
  } catch {
    return { ok: false, problem: "altered" };
  }
}

/** What a run or replay says of a candidate whose record cannot be read. */
export const RECORD_PROBLEM_MESSAGE: Record<"erased" | "altered" | "missing", string> = {
  erased: "the candidate's record was erased",
  altered: "the candidate's record does not match what the ledger committed to",
  missing: "the candidate's record is missing",
};

/**
 * Crypto-shreds every recorded version of a candidate (inside the caller's transaction): the data
 * key and every ciphertext are cleared. Their `candidate.recorded` events stay and verify.
 */
export async function shredCandidateRecords({
  tx,
  candidateId,
  now,
}: {
  tx: Tx;
  candidateId: string;
  now: Date;
}) {
  await tx.candidateRecord.updateMany({ where: { candidateId }, data: { ciphertext: null } });
  await tx.candidate.update({ where: { id: candidateId }, data: { wrappedKey: null, erasedAt: now } });
}

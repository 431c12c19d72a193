import "server-only";

import { randomUUID } from "node:crypto";
import { commit, generateSalt } from "@/server/crypto/commitment";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import { createRecordKey, encryptJson } from "@/server/crypto/envelope";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { type Tx, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent, type TActor } from "@/server/ledger/append-event";
import { requestDecisionSignature, type TSignatureRequest } from "@/server/passkey/decision-signature";
import { recordConsentVersion, revokeConsent } from "./consent-history";
import type { TConsentDecision } from "./decision-schema";
import { commitmentValue, contentContext, loadDonorRecord } from "./donor-record";
import { lockDataKeysShared } from "./key-lock";
import { generateReceiptCode } from "./receipt-code";

export type TRecordedVersion = {
  consentVersionId: string;
  version: number;
  receiptCode: string;
  commitment: string;
  ledgerEventId: string;
  /** The person signs the version's event hash with their passkey next (or the fallback is recorded). */
  signature: TSignatureRequest | null;
};

/**
 * Records a new consent version for a registrant, inside the caller's transaction: the row, its
 * encrypted content and the ledger event (carrying only the commitment) commit together. The
 * history rules (version order; a family authorisation never overrides a first-person decision)
 * come from the pure fold in consent-history.ts.
 */
export async function recordConsentInTx({
  tx,
  donorId,
  decision,
  actor,
  donorCaseId,
  ring = dataKeyRing(),
  now: given,
}: {
  tx: Tx;
  donorId: string;
  decision: TConsentDecision;
  actor: TActor;
  donorCaseId?: string;
  ring?: TKeyRing;
  now?: Date;
}): Promise<TRecordedVersion> {
  // The registrant's record is opened (and a family authorisation wraps a new data key): no
  // erasure may rotate the KEK meanwhile. First, before the record's row lock.
  await lockDataKeysShared(tx);
  const record = await loadDonorRecord({ tx, donorId, lock: true, ring });
  // The time is taken once the record is locked, so versions are in the order they were written.
  const now = given ?? new Date();
  const receiptCode = generateReceiptCode();
  const event = recordConsentVersion({
    history: record.history,
    decision,
    receiptCode,
    at: now,
    by: actor.userId ?? "system",
  });
  const id = randomUUID();
  const salt = generateSalt();
  const commitment = commit({ salt, value: commitmentValue(id, event.version, decision) });
  // A family authorisation is recorded by staff for someone else: it gets its own key, so it can be
  // shredded with the person's record like everything else.
  const wrappedKey = decision.kind === "FAMILY_AUTHORISATION" ? createRecordKey({ ring }) : null;
  const contentCiphertext = encryptJson({
    ring,
    wrappedKey: wrappedKey ?? record.donor.wrappedKey,
    context: contentContext(id),
    value: { decision, salt },
  });
  const recorded = {
    type: "consent.recorded" as const,
    payload: { consentVersionId: id, version: event.version, kind: decision.kind, commitment, receiptCode },
  };
  const ledger = await appendEvent({ tx, subject: { type: "donor", id: donorId }, ...recorded, actor, now });
  await tx.consentVersion.create({
    data: {
      id,
      donorId,
      donorCaseId,
      version: event.version,
      kind: decision.kind,
      decision: decision.decision,
      contentCiphertext,
      wrappedKey,
      commitment,
      receiptCode,
      ledgerEventId: ledger.id,
      recordedById: actor.userId,
      createdAt: now,
    },
  });
  const signature = await requestDecisionSignature({ tx, event: ledger, decision: recorded, actor, now });
  return {
    consentVersionId: id,
    version: event.version,
    receiptCode,
    commitment,
    ledgerEventId: ledger.id,
    signature,
  };
}

export function recordConsent(opts: Omit<Parameters<typeof recordConsentInTx>[0], "tx">) {
  return withTransaction((tx) => recordConsentInTx({ ...opts, tx }));
}

/** Revokes the version in force; the version stays in the history, marked revoked. */
export async function revokeConsentVersion({
  donorId,
  actor,
  ring = dataKeyRing(),
  now: given,
}: {
  donorId: string;
  actor: TActor;
  ring?: TKeyRing;
  now?: Date;
}): Promise<{
  version: number;
  receiptCode: string;
  ledgerEventId: string;
  signature: TSignatureRequest | null;
}> {
  return withTransaction(async (tx) => {
    // The record is opened: under the data-key lock (shared), taken before its row lock.
    await lockDataKeysShared(tx);
    const record = await loadDonorRecord({ tx, donorId, lock: true, ring });
    const now = given ?? new Date();
    const event = revokeConsent({ history: record.history, at: now, by: actor.userId ?? "system" });
    const version = record.versions.find((v) => v.version === event.version);
    if (!version) throw new AppError("CONFLICT", "the version in force is missing");
    const revoked = {
      type: "consent.revoked" as const,
      payload: { consentVersionId: version.id, version: version.version, commitment: version.commitment },
    };
    const ledger = await appendEvent({ tx, subject: { type: "donor", id: donorId }, ...revoked, actor, now });
    const signature = await requestDecisionSignature({ tx, event: ledger, decision: revoked, actor, now });
    await tx.consentVersion.update({
      where: { id: version.id },
      data: { revokedAt: now, revocationEventId: ledger.id },
    });
    return {
      version: version.version,
      receiptCode: version.receiptCode,
      ledgerEventId: ledger.id,
      signature,
    };
  });
}

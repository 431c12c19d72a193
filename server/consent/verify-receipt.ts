import "server-only";

import type { TAnchorRegistry } from "@/server/chain/client";
import { verifyCommitment } from "@/server/crypto/commitment";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { checkEventProof, readEventProof, type TEventProof } from "@/server/ledger/get-event-proof";
import { consentStatus, type TConsentStatus } from "./consent-status";
import type { TConsentDecision } from "./decision-schema";
import { commitmentValue, decryptContent } from "./donor-record";
import { KEY_WAIT, lockDataKeysShared } from "./key-lock";
import { parseReceiptCode } from "./receipt-code";

export type TReceiptStatus = TConsentStatus;

export type TReceiptVerification = {
  receiptCode: string;
  version: number;
  kind: "FIRST_PERSON" | "FAMILY_AUTHORISATION";
  recordedAt: Date;
  status: TReceiptStatus;
  revokedAt: Date | null;
  commitment: string;
  /** The commitment inside the hashed ledger event is the one shown here. */
  commitmentOnLedger: boolean;
  proof: TEventProof;
  revocationProof: TEventProof | null;
  /** Only for the registrant themself: the content, and whether it opens the commitment. */
  content: { decision: TConsentDecision; salt: string; commitmentMatches: boolean } | null;
};

/**
 * Public check of a consent receipt: anyone with the code sees the version's commitment, its ledger
 * event and anchoring proof (no content); the registrant also sees what they consented to, and that
 * it is exactly what the commitment on the ledger (and so on chain) binds.
 */
export async function verifyReceipt({
  code,
  viewerUserId,
  registry,
  ring,
}: {
  code: string;
  viewerUserId: string | null;
  registry: TAnchorRegistry | null;
  ring?: TKeyRing;
}): Promise<TReceiptVerification> {
  const receiptCode = parseReceiptCode(code);
  if (!receiptCode)
    throw new AppError("BAD_REQUEST", "this is not a receipt code (10 letters and digits)", {
      code: "not a receipt code",
    });
  // The database's part on one connection (under load each statement on its own queued again for
  // the pool); the chain is asked after, holding no connection.
  const read = await withTransaction(async (tx) => {
    const row = await tx.consentVersion.findUnique({
      where: { receiptCode },
      include: { donor: { select: { id: true, userId: true, wrappedKey: true, erasedAt: true } } },
    });
    if (!row) return null;
    const later = row.donorId
      ? await tx.consentVersion.count({ where: { donorId: row.donorId, version: { gt: row.version } } })
      : 0;
    const event = await tx.ledgerEvent.findUnique({
      where: { id: row.ledgerEventId },
      select: { payload: true },
    });
    const proof = await readEventProof(row.ledgerEventId, tx);
    const revocation = row.revocationEventId ? await readEventProof(row.revocationEventId, tx) : null;
    return { row, later, event, proof, revocation };
  });
  if (!read) throw new AppError("NOT_FOUND", `no consent receipt ${receiptCode}`);
  const { row, later, event } = read;
  const status: TReceiptStatus = consentStatus({
    erased: !!row.donor?.erasedAt,
    revoked: !!row.revokedAt,
    latest: later === 0,
  });
  const onLedger = (event?.payload as { commitment?: string } | undefined)?.commitment;
  const proof = await checkEventProof(read.proof, registry);
  const revocationProof = read.revocation ? await checkEventProof(read.revocation, registry) : null;

  let content: TReceiptVerification["content"] = null;
  const isOwner = viewerUserId !== null && row.donor?.userId === viewerUserId && !row.donor.erasedAt;
  if (isOwner) {
    // Re-read and opened under the data-key lock (shared): the proofs above may take a while, and an
    // erasure meanwhile re-wraps the keys and destroys the KEK the row was read under.
    const stored = await withTransaction(async (tx) => {
      await lockDataKeysShared(tx);
      const fresh = await tx.consentVersion.findUnique({
        where: { receiptCode },
        include: { donor: { select: { wrappedKey: true } } },
      });
      return fresh ? decryptContent(ring ?? dataKeyRing(), fresh, fresh.donor?.wrappedKey ?? null) : null;
    }, KEY_WAIT);
    if (stored) {
      content = {
        decision: stored.decision,
        salt: stored.salt,
        commitmentMatches: verifyCommitment({
          salt: stored.salt,
          value: commitmentValue(row.id, row.version, stored.decision),
          commitment: row.commitment,
        }),
      };
    }
  }
  return {
    receiptCode,
    version: row.version,
    kind: row.kind,
    recordedAt: row.createdAt,
    status,
    revokedAt: row.revokedAt,
    commitment: row.commitment,
    commitmentOnLedger: onLedger === row.commitment,
    proof,
    revocationProof,
    content,
  };
}

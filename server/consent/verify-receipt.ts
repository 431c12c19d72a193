import "server-only";

import type { TAnchorRegistry } from "@/server/chain/client";
import { verifyCommitment } from "@/server/crypto/commitment";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { prisma, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { getEventProof, type TEventProof } from "@/server/ledger/get-event-proof";
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
  const row = await prisma.consentVersion.findUnique({
    where: { receiptCode },
    include: { donor: { select: { id: true, userId: true, wrappedKey: true, erasedAt: true } } },
  });
  if (!row) throw new AppError("NOT_FOUND", `no consent receipt ${receiptCode}`);
  const later = row.donorId
    ? await prisma.consentVersion.count({ where: { donorId: row.donorId, version: { gt: row.version } } })
    : 0;
  const status: TReceiptStatus = consentStatus({
    erased: !!row.donor?.erasedAt,
    revoked: !!row.revokedAt,
    latest: later === 0,
  });
  const event = await prisma.ledgerEvent.findUnique({
    where: { id: row.ledgerEventId },
    select: { payload: true },
  });
  const onLedger = (event?.payload as { commitment?: string } | undefined)?.commitment;
  const proof = await getEventProof({ eventId: row.ledgerEventId, registry });
  const revocationProof = row.revocationEventId
    ? await getEventProof({ eventId: row.revocationEventId, registry })
    : null;

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

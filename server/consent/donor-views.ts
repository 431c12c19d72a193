import "server-only";

import { dataKeyRing } from "@/server/crypto/data-key-ring";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { prisma, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { signatureViews, type TStepSignature } from "@/server/passkey/signature-views";
import type { TConsentDecision } from "./decision-schema";
import { decryptContent, donorIdOfUser, loadDonorRecord, type TStoredIdentity } from "./donor-record";
import { KEY_WAIT, lockDataKeysShared } from "./key-lock";
import { accessReasonTexts } from "./private-note";
import { parseReceiptCode } from "./receipt-code";

export type TMyRegistration = {
  donorId: string;
  registeredAt: Date;
  identity: TStoredIdentity;
  state: "NONE" | "IN_FORCE" | "REVOKED";
  versions: Array<{
    consentVersionId: string;
    version: number;
    status: "IN_FORCE" | "SUPERSEDED" | "REVOKED";
    recordedAt: Date;
    endedAt: Date | null;
    decision: TConsentDecision;
    receiptCode: string;
    commitment: string;
    ledgerEventId: string;
    anchored: boolean;
    /** How the decision was signed: with a passkey, the recorded fallback, or awaiting (21 CFR 11.50). */
    signature: TStepSignature | null;
  }>;
};

/** A signed-in donor's own registration: identity, every version (newest first) and anchoring. */
export async function getMyRegistration({
  userId,
  ring = dataKeyRing(),
}: {
  userId: string;
  ring?: TKeyRing;
}): Promise<TMyRegistration> {
  return withTransaction(async (tx) => {
    // Opens wrapped keys: under the data-key lock (shared), so no erasure destroys a KEK mid-read.
    await lockDataKeysShared(tx);
    const donorId = await donorIdOfUser(tx, userId);
    const record = await loadDonorRecord({ tx, donorId, ring });
    const anchored = new Set(
      (
        await tx.anchorLeaf.findMany({
          where: {
            eventId: { in: record.versions.map((v) => v.ledgerEventId) },
            batch: { status: "CONFIRMED" },
          },
          select: { eventId: true },
        })
      ).map((l) => l.eventId),
    );
    const signatureRecords = await tx.ledgerEvent.findMany({
      where: {
        subjectType: "donor",
        subjectId: donorId,
        type: { in: ["signature.recorded", "signature.not_signed"] },
      },
      select: { id: true, type: true, payload: true, serverTime: true, actorUserId: true },
    });
    const signers = await tx.user.findMany({
      where: { id: { in: signatureRecords.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])) } },
      select: { id: true, name: true },
    });
    const signatureOf = signatureViews({
      events: signatureRecords.map((r) => ({ ...r, actor: { userId: r.actorUserId } })),
      nameOf: (id) => signers.find((u) => u.id === id)?.name ?? null,
      invalid: new Set(),
      checked: false,
    });
    return {
      donorId,
      registeredAt: record.donor.createdAt,
      identity: record.identity as TStoredIdentity,
      state: record.history.state,
      versions: record.versions
        .map((v) => ({
          consentVersionId: v.id,
          version: v.version,
          status: v.status,
          recordedAt: v.at,
          endedAt: v.endedAt ?? null,
          decision: v.decision,
          receiptCode: v.receiptCode,
          commitment: v.commitment,
          ledgerEventId: v.ledgerEventId,
          anchored: anchored.has(v.ledgerEventId),
          signature: signatureOf({
            id: v.ledgerEventId,
            type: "consent.recorded",
            payload: { kind: v.decision.kind, version: v.version },
            serverTime: v.at,
            actor: { userId: null },
          }),
        }))
        .reverse(),
    };
  }, KEY_WAIT);
}

export type TAccessRecord = {
  eventId: string;
  at: Date;
  actorRole: string | null;
  organisation: string | null;
  staffName: string | null;
  reasonCode: string | null;
  reason: string;
};

/** Who on the staff looked a registrant up, when and why: the `personal_data.accessed` events of their chain. */
export async function listAccessHistory({ donorId }: { donorId: string }): Promise<TAccessRecord[]> {
  const events = await prisma.ledgerEvent.findMany({
    where: { subjectType: "donor", subjectId: donorId, type: "personal_data.accessed" },
    orderBy: { sequence: "desc" },
    select: {
      id: true,
      serverTime: true,
      actorRole: true,
      actorOrgId: true,
      actorUserId: true,
      payload: true,
    },
  });
  const orgIds = [...new Set(events.flatMap((e) => (e.actorOrgId ? [e.actorOrgId] : [])))];
  const userIds = [...new Set(events.flatMap((e) => (e.actorUserId ? [e.actorUserId] : [])))];
  const [orgs, users] = await Promise.all([
    prisma.organisation.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } }),
    prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }),
  ]);
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const reasons = await accessReasonTexts(events);
  return events.map((e) => {
    const payload = e.payload as { reasonCode?: string };
    return {
      eventId: e.id,
      at: e.serverTime,
      actorRole: e.actorRole,
      organisation: e.actorOrgId ? (orgName.get(e.actorOrgId) ?? null) : null,
      staffName: e.actorUserId ? (userName.get(e.actorUserId) ?? null) : null,
      reasonCode: payload.reasonCode ?? null,
      reason: reasons.get(e.id) ?? "",
    };
  });
}

/** A receipt's full content, for the registrant who owns it (NOT_FOUND for anyone else). */
export async function getOwnReceipt({
  code,
  userId,
  ring = dataKeyRing(),
}: {
  code: string;
  userId: string;
  ring?: TKeyRing;
}) {
  const receiptCode = parseReceiptCode(code);
  if (!receiptCode) throw new AppError("NOT_FOUND", "no such receipt");
  // Read and opened under the data-key lock (shared), so no erasure destroys the KEK mid-read.
  const { row, content } = await withTransaction(async (tx) => {
    await lockDataKeysShared(tx);
    const found = await tx.consentVersion.findUnique({
      where: { receiptCode },
      include: { donor: { select: { userId: true, wrappedKey: true, erasedAt: true } } },
    });
    if (!found || found.donor?.userId !== userId || found.donor.erasedAt)
      throw new AppError("NOT_FOUND", "no such receipt");
    return { row: found, content: decryptContent(ring, found, found.donor.wrappedKey) };
  }, KEY_WAIT);
  if (!content) throw new AppError("NOT_FOUND", "no such receipt");
  return {
    receiptCode,
    version: row.version,
    recordedAt: row.createdAt,
    kind: row.kind,
    decision: content.decision,
    commitment: row.commitment,
    ledgerEventId: row.ledgerEventId,
    revokedAt: row.revokedAt,
    revocationEventId: row.revocationEventId,
  };
}

import "server-only";

import { prisma } from "@/server/db";
import { AppError } from "@/server/errors";
import type { TStepSignature } from "@/server/passkey/signature-views";
import { consentStatus, type TConsentStatus } from "./consent-status";
import { consentSignatureViews } from "./decision-signature-views";
import { listAccessHistory, type TAccessRecord } from "./donor-views";

export type TRegistrantHistory = {
  donorId: string;
  registeredAt: Date;
  erasedAt: Date | null;
  hasAccount: boolean;
  versions: Array<{
    consentVersionId: string;
    version: number;
    kind: "FIRST_PERSON" | "FAMILY_AUTHORISATION";
    status: TConsentStatus;
    recordedAt: Date;
    revokedAt: Date | null;
    receiptCode: string;
    commitment: string;
    ledgerEventId: string;
    revocationEventId: string | null;
    anchored: boolean;
    /** How the decision was signed (signer, time, meaning), and its revocation if revoked. */
    signature: TStepSignature | null;
    revocationSignature: TStepSignature | null;
  }>;
  access: TAccessRecord[];
};

/**
 * A registrant's history as a regulator sees it: every version's kind, status, times, commitment
 * and anchoring, and every staff access, but no identity and no decision content (those need a
 * stated reason: the FHIR export records one). Nothing here is decrypted.
 */
export async function getRegistrantHistory({ donorId }: { donorId: string }): Promise<TRegistrantHistory> {
  const donor = await prisma.donor.findUnique({
    where: { id: donorId },
    select: {
      id: true,
      createdAt: true,
      erasedAt: true,
      userId: true,
      consentVersions: { orderBy: { version: "asc" } },
    },
  });
  if (!donor) throw new AppError("NOT_FOUND", "no such registrant");
  const events = donor.consentVersions.map((v) => v.ledgerEventId);
  const anchored = new Set(
    (
      await prisma.anchorLeaf.findMany({
        where: { eventId: { in: events }, batch: { status: "CONFIRMED" } },
        select: { eventId: true },
      })
    ).map((l) => l.eventId),
  );
  const last = donor.consentVersions.at(-1)?.version;
  const signatures = await consentSignatureViews({
    donorId: donor.id,
    decisionEventIds: donor.consentVersions.flatMap((v) => [
      v.ledgerEventId,
      ...(v.revocationEventId ? [v.revocationEventId] : []),
    ]),
  });
  return {
    donorId: donor.id,
    registeredAt: donor.createdAt,
    erasedAt: donor.erasedAt,
    hasAccount: donor.userId !== null,
    versions: donor.consentVersions
      .map((v) => ({
        consentVersionId: v.id,
        version: v.version,
        kind: v.kind,
        status: consentStatus({
          erased: !!donor.erasedAt,
          revoked: !!v.revokedAt,
          latest: v.version === last,
        }),
        recordedAt: v.createdAt,
        revokedAt: v.revokedAt,
        receiptCode: v.receiptCode,
        commitment: v.commitment,
        ledgerEventId: v.ledgerEventId,
        revocationEventId: v.revocationEventId,
        anchored: anchored.has(v.ledgerEventId),
        signature: signatures.get(v.ledgerEventId) ?? null,
        revocationSignature: v.revocationEventId ? (signatures.get(v.revocationEventId) ?? null) : null,
      }))
      .reverse(),
    access: await listAccessHistory({ donorId }),
  };
}

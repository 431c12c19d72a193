import { prisma } from "@/server/db";
import { AppError } from "@/server/errors";
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
    status: "IN_FORCE" | "SUPERSEDED" | "REVOKED" | "ERASED";
    recordedAt: Date;
    revokedAt: Date | null;
    receiptCode: string;
    commitment: string;
    ledgerEventId: string;
    revocationEventId: string | null;
    anchored: boolean;
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
        status: donor.erasedAt
          ? ("ERASED" as const)
          : v.revokedAt
            ? ("REVOKED" as const)
            : v.version === last
              ? ("IN_FORCE" as const)
              : ("SUPERSEDED" as const),
        recordedAt: v.createdAt,
        revokedAt: v.revokedAt,
        receiptCode: v.receiptCode,
        commitment: v.commitment,
        ledgerEventId: v.ledgerEventId,
        revocationEventId: v.revocationEventId,
        anchored: anchored.has(v.ledgerEventId),
      }))
      .reverse(),
    access: await listAccessHistory({ donorId }),
  };
}

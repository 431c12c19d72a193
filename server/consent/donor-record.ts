import "server-only";

import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import { decryptJson, encryptJson, type TWrappedKey } from "@/server/crypto/envelope";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { prisma, type Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import type { TActor } from "@/server/ledger/append-event";
import {
  applyConsentEvent,
  EMPTY_CONSENT_HISTORY,
  type TConsentHistory,
  type TConsentVersionView,
} from "./consent-history";
import { ZConsentDecisionSchema } from "./decision-schema";
import { IDENTIFIER_SCHEMES } from "./identifiers";

/**
 * How a registrant's record is stored: identity and each version's content are encrypted under the
 * record's own data key (wrapped by a master key), so erasure only has to destroy that key. These
 * helpers are the one place that knows the field contexts and stored shapes.
 */
export const ZStoredIdentitySchema = z.object({
  fullName: z.string(),
  dateOfBirth: z.string(),
  identifier: z.object({ scheme: z.enum(IDENTIFIER_SCHEMES), value: z.string() }),
  contact: z.object({ email: z.string().optional(), phone: z.string().optional() }).optional(),
});
export type TStoredIdentity = z.infer<typeof ZStoredIdentitySchema>;

/** A version's encrypted content: the decision and the salt of its commitment. */
export const ZStoredContentSchema = z.object({ decision: ZConsentDecisionSchema, salt: z.string() });
export type TStoredContent = z.infer<typeof ZStoredContentSchema>;

export const identityContext = (donorId: string) => `Donor.identity:${donorId}`;
export const contentContext = (versionId: string) => `ConsentVersion.content:${versionId}`;

/** What a version's commitment covers: the decision, bound to the version it was recorded as. */
export function commitmentValue(versionId: string, version: number, decision: unknown) {
  return { consentVersionId: versionId, version, decision };
}

export function actorOf(user: Pick<TSessionUser, "id" | "role" | "organisationId">): TActor {
  return { userId: user.id, role: user.role, orgId: user.organisationId };
}

export function encryptIdentity(
  ring: TKeyRing,
  wrappedKey: TWrappedKey,
  donorId: string,
  value: TStoredIdentity,
) {
  return encryptJson({ ring, wrappedKey, context: identityContext(donorId), value });
}

export function decryptIdentity(
  ring: TKeyRing,
  donor: { id: string; wrappedKey: string | null; identityCiphertext: string | null },
): TStoredIdentity | null {
  if (!donor.wrappedKey || !donor.identityCiphertext) return null;
  return ZStoredIdentitySchema.parse(
    decryptJson({
      ring,
      wrappedKey: donor.wrappedKey,
      ciphertext: donor.identityCiphertext,
      context: identityContext(donor.id),
    }),
  );
}

type TVersionRow = {
  id: string;
  version: number;
  kind: string;
  contentCiphertext: string | null;
  wrappedKey: string | null;
  commitment: string;
  receiptCode: string;
  ledgerEventId: string;
  recordedById: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  revocationEventId: string | null;
  donorCaseId: string | null;
};

export function decryptContent(
  ring: TKeyRing,
  row: Pick<TVersionRow, "id" | "contentCiphertext" | "wrappedKey">,
  donorKey: string | null,
): TStoredContent | null {
  // A donor's versions use the donor's key; a version may carry its own (family authorisation).
  const wrappedKey = row.wrappedKey ?? donorKey;
  if (!wrappedKey || !row.contentCiphertext) return null;
  return ZStoredContentSchema.parse(
    decryptJson({ ring, wrappedKey, ciphertext: row.contentCiphertext, context: contentContext(row.id) }),
  );
}

export type TStoredVersion = TConsentVersionView & {
  id: string;
  commitment: string;
  salt: string;
  ledgerEventId: string;
  revocationEventId: string | null;
  donorCaseId: string | null;
};

export type TDonorRecord = {
  donor: {
    id: string;
    userId: string | null;
    wrappedKey: string;
    identityCiphertext: string | null;
    createdAt: Date;
  };
  identity: TStoredIdentity | null;
  history: TConsentHistory;
  versions: TStoredVersion[];
};

/**
 * Loads and decrypts one registrant's record. `lock` takes a row lock first, so concurrent
 * changes to the same record are serialised (version numbers never collide).
 */
export async function loadDonorRecord({
  tx,
  donorId,
  lock = false,
  ring = dataKeyRing(),
}: {
  tx: Tx;
  donorId: string;
  lock?: boolean;
  ring?: TKeyRing;
}): Promise<TDonorRecord> {
  if (lock) await tx.$queryRaw`SELECT id FROM "Donor" WHERE id = ${donorId}::uuid FOR UPDATE`;
  const donor = await tx.donor.findUnique({
    where: { id: donorId },
    include: { consentVersions: { orderBy: { version: "asc" } } },
  });
  if (!donor) throw new AppError("NOT_FOUND", "no such registrant");
  if (donor.erasedAt || !donor.wrappedKey) {
    throw new AppError("NOT_FOUND", "this record was erased at the registrant's request");
  }
  let history = EMPTY_CONSENT_HISTORY;
  const extra = new Map<string, Omit<TStoredVersion, keyof TConsentVersionView>>();
  for (const row of donor.consentVersions) {
    const content = decryptContent(ring, row, donor.wrappedKey);
    if (!content) throw new AppError("CONFLICT", `consent version ${row.version} has no readable content`);
    history = applyConsentEvent(history, {
      type: "CONSENT_RECORDED",
      version: row.version,
      decision: content.decision,
      receiptCode: row.receiptCode,
      at: row.createdAt,
      by: row.recordedById ?? "",
    });
    if (row.revokedAt) {
      history = applyConsentEvent(history, {
        type: "CONSENT_REVOKED",
        version: row.version,
        at: row.revokedAt,
        by: donor.userId ?? "",
      });
    }
    extra.set(row.receiptCode, {
      id: row.id,
      commitment: row.commitment,
      salt: content.salt,
      ledgerEventId: row.ledgerEventId,
      revocationEventId: row.revocationEventId,
      donorCaseId: row.donorCaseId,
    });
  }
  const versions = history.versions.map((v) => ({
    ...v,
    ...(extra.get(v.receiptCode) as NonNullable<ReturnType<typeof extra.get>>),
  }));
  return {
    donor: {
      id: donor.id,
      userId: donor.userId,
      wrappedKey: donor.wrappedKey,
      identityCiphertext: donor.identityCiphertext,
      createdAt: donor.createdAt,
    },
    identity: decryptIdentity(ring, donor),
    history,
    versions,
  };
}

/** The signed-in donor's own registration id, refused (as not found) when none or erased. */
export const donorIdOfSignedInUser = (userId: string) => donorIdOfUser(prisma, userId);

/** The registrant record of a signed-in donor. */
export async function donorIdOfUser(tx: Tx, userId: string): Promise<string> {
  const donor = await tx.donor.findUnique({ where: { userId }, select: { id: true, erasedAt: true } });
  if (!donor || donor.erasedAt) throw new AppError("NOT_FOUND", "you have no registration on record");
  return donor.id;
}

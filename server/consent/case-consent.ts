import "server-only";

import { dataKeyRing } from "@/server/crypto/data-key-ring";
import type { TKeyRing } from "@/server/crypto/key-ring";
import type { Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import { consentStatus, type TConsentStatus } from "./consent-status";
import { coverage, type TCoverage } from "./coverage";
import type { TConsentDecision } from "./decision-schema";
import { decryptContent } from "./donor-record";
import { ORGANS, PURPOSES, type TOrgan, type TPurpose } from "./organs";

/** Allocation's organ types, as a consent names them. */
export const CONSENT_ORGAN_OF: Record<
  "KIDNEY" | "LIVER" | "HEART" | "LUNG" | "PANCREAS" | "INTESTINE",
  TOrgan
> = {
  KIDNEY: "KIDNEYS",
  LIVER: "LIVER",
  HEART: "HEART",
  LUNG: "LUNGS",
  PANCREAS: "PANCREAS",
  INTESTINE: "INTESTINE",
};

export type TCaseConsent = {
  consentVersionId: string;
  kind: "FIRST_PERSON" | "FAMILY_AUTHORISATION";
  /** Only a version still in force authorises anything. */
  status: TConsentStatus;
  decision: TConsentDecision | null;
};

/**
 * The consent a donor case relies on, read for allocation: which version, whether it is still in
 * force (a later version, a revocation or an erasure ends it), and its decision.
 */
export async function readCaseConsent({
  tx,
  consentVersionId,
  ring = dataKeyRing(),
}: {
  tx: Tx;
  consentVersionId: string;
  ring?: TKeyRing;
}): Promise<TCaseConsent> {
  const row = await tx.consentVersion.findUnique({
    where: { id: consentVersionId },
    include: { donor: { select: { wrappedKey: true, erasedAt: true } } },
  });
  if (!row)
    throw new AppError("NOT_FOUND", "no such consent version", {
      consentVersionId: "no such consent version",
    });
  const later = row.donorId
    ? await tx.consentVersion.count({ where: { donorId: row.donorId, version: { gt: row.version } } })
    : 0;
  return caseConsentOf({
    ...row,
    donorKey: row.donor?.wrappedKey ?? null,
    donorErased: !!row.donor?.erasedAt,
    superseded: later > 0,
    ring,
  });
}

/** A consent version's row as `caseConsentOf` reads it: its own columns, its donor's key and state. */
export type TCaseConsentRow = {
  id: string;
  kind: TCaseConsent["kind"];
  contentCiphertext: string | null;
  wrappedKey: string | null;
  revokedAt: Date | null;
  donorKey: string | null;
  donorErased: boolean;
  superseded: boolean;
};

/**
 * The case's consent from its version row as read (by readCaseConsent, or in one statement with
 * the organ by a match run): `superseded` when the donor has a later version.
 */
export function caseConsentOf(row: TCaseConsentRow & { ring?: TKeyRing }): TCaseConsent {
  const status = consentStatus({
    erased: row.donorErased,
    revoked: !!row.revokedAt,
    latest: !row.superseded,
  });
  const content = status === "ERASED" ? null : decryptContent(row.ring ?? dataKeyRing(), row, row.donorKey);
  return { consentVersionId: row.id, kind: row.kind, status, decision: content?.decision ?? null };
}

/** Whether the case's consent covers transplanting this organ (not in force → not covered). */
export function organCovered(consent: TCaseConsent, organType: keyof typeof CONSENT_ORGAN_OF): TCoverage {
  return coverage(
    consent.status === "IN_FORCE" ? consent.decision : null,
    CONSENT_ORGAN_OF[organType],
    "TRANSPLANT",
  );
}

/**
 * What a match run may consider under the case's consent, by the same coverage() rule that opened
 * the case: the organs and purposes covered, and whether free-text restrictions must be read first.
 */
export function caseConsentScope(consent: TCaseConsent | null): {
  organs: TOrgan[];
  purposes: TPurpose[];
  restricted?: true;
} {
  const decision = consent?.status === "IN_FORCE" ? consent.decision : null;
  const covers = (o: TOrgan, p: TPurpose) => coverage(decision, o, p).covered;
  const organs = ORGANS.filter((o) => PURPOSES.some((p) => covers(o, p)));
  const purposes = PURPOSES.filter((p) => ORGANS.some((o) => covers(o, p)));
  // Only set when true, so a run without restrictions hashes as it always has.
  return decision?.restrictions !== undefined && organs.length
    ? { organs, purposes, restricted: true }
    : { organs, purposes };
}

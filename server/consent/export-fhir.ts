import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { toFhirConsent } from "@/server/fhir/consent-resource";
import type { TFhirResource } from "@/server/fhir/types";
import { validateFhirResource } from "@/server/fhir/validate-resource";
import { appendEvent } from "@/server/ledger/append-event";
import { actorOf, loadDonorRecord } from "./donor-record";
import { KEY_WAIT, lockDataKeysShared } from "./key-lock";
import { recordPrivateNote } from "./private-note";
import type { TAccessReason } from "./search-registry";

/**
 * One consent version as a FHIR R4 Consent. The registrant gets their own with identity; staff
 * (OPO coordinators with identity, regulators without: policy) must give a reason, and the export
 * is a `personal_data.accessed` event on the person's chain. The resource is validated against the
 * official R4 schema before it leaves, so a receiver never gets an invalid one.
 */
export async function exportConsentFhir({
  consentVersionId,
  viewer,
  reason,
  ring = dataKeyRing(),
}: {
  consentVersionId: string;
  viewer: TSessionUser;
  reason?: { reasonCode: TAccessReason; reasonNote: string };
  ring?: TKeyRing;
}): Promise<TFhirResource> {
  return withTransaction(async (tx) => {
    // Opens wrapped keys: under the data-key lock (shared), so no erasure destroys a KEK mid-read.
    await lockDataKeysShared(tx);
    const row = await tx.consentVersion.findUnique({
      where: { id: consentVersionId },
      select: { donorId: true, version: true, donor: { select: { userId: true } } },
    });
    if (!row?.donorId) throw new AppError("NOT_FOUND", "no such consent version");
    const own = viewer.role === "DONOR" && row.donor?.userId === viewer.id;
    if (viewer.role === "DONOR" && !own) throw new AppError("NOT_FOUND", "no such consent version");
    if (!own) {
      if (!reason)
        throw new AppError("BAD_REQUEST", "give a reason for this export", { reasonCode: "required" });
      const donor = await tx.donor.findUnique({
        where: { id: row.donorId },
        select: { id: true, wrappedKey: true },
      });
      const note = await recordPrivateNote({ tx, ring, donor, text: reason.reasonNote });
      await appendEvent({
        tx,
        subject: { type: "donor", id: row.donorId },
        type: "personal_data.accessed",
        payload: {
          recordType: "consent_version_fhir_export",
          recordId: row.donorId,
          reasonCode: reason.reasonCode,
          note,
          found: true,
        },
        actor: actorOf(viewer),
      });
    }
    const record = await loadDonorRecord({ tx, donorId: row.donorId, ring });
    const version = record.versions.find((v) => v.version === row.version);
    if (!version) throw new AppError("NOT_FOUND", "no such consent version");
    const withIdentity = viewer.role !== "REGULATOR" && record.identity !== null;
    const resource = toFhirConsent({
      version,
      subjectId: row.donorId,
      commitment: version.commitment,
      ...(withIdentity && record.identity
        ? { identity: { fullName: record.identity.fullName, identifier: record.identity.identifier } }
        : {}),
    });
    const issues = validateFhirResource(resource);
    if (issues.length > 0) {
      throw new Error(
        `FHIR Consent failed validation: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`,
      );
    }
    return resource;
  }, KEY_WAIT);
}

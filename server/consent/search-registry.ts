import "server-only";

import { z } from "zod";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { withTransaction } from "@/server/db";
import { appendEvent, type TActor } from "@/server/ledger/append-event";
import { ACCESS_REASON_LABELS, type TAccessReason } from "./access-reasons";
import type { TConsentDecision } from "./decision-schema";
import { loadDonorRecord } from "./donor-record";
import { ZIdentifierSchema } from "./identifiers";
import { KEY_WAIT, lockDataKeysShared } from "./key-lock";
import { recordPrivateNote } from "./private-note";
import { findDonorByIdentity } from "./register-donor";
import { dateOfBirthSchema } from "./registration-schema";

export const ACCESS_REASONS = ACCESS_REASON_LABELS;
export type { TAccessReason };

const REASON_CODES = Object.keys(ACCESS_REASONS) as [TAccessReason, ...TAccessReason[]];

export const ZAccessReasonSchema = z.object({
  reasonCode: z.enum(REASON_CODES, { error: `choose a reason: ${REASON_CODES.join(", ")}` }),
  reasonNote: z
    .string({ error: "explain why you need this record" })
    .trim()
    .min(3, "explain why you need this record (3 characters at least)")
    .max(300, "the reason is too long (300 characters at most)"),
});

export const ZRegistrySearchSchema = z
  .object({ identifier: ZIdentifierSchema, dateOfBirth: dateOfBirthSchema() })
  .extend(ZAccessReasonSchema.shape);
export type TRegistrySearch = z.output<typeof ZRegistrySearchSchema>;

export type TRegistrySearchResult =
  | { found: false; accessEventId: string }
  | {
      found: true;
      accessEventId: string;
      donorId: string;
      state: "NONE" | "IN_FORCE" | "REVOKED";
      current: {
        consentVersionId: string;
        version: number;
        recordedAt: Date;
        decision: TConsentDecision;
        receiptCode: string;
        commitment: string;
        ledgerEventId: string;
      } | null;
    };

/**
 * An OPO coordinator's look-up of a referred person. Whether or not anyone is found, the look-up is
 * a `personal_data.accessed` ledger event (who, when, why) in the same transaction as the read, so
 * no read goes unrecorded; when found, it joins the person's own chain, where they and regulators see it.
 */
export async function searchRegistry({
  query,
  actor,
  ring = dataKeyRing(),
}: {
  query: TRegistrySearch;
  actor: TActor;
  ring?: TKeyRing;
}): Promise<TRegistrySearchResult> {
  return withTransaction(async (tx) => {
    // Opens wrapped keys: under the data-key lock (shared), so no erasure destroys a KEK mid-read.
    await lockDataKeysShared(tx);
    const donor = await findDonorByIdentity({
      tx,
      ring,
      identifier: query.identifier,
      dateOfBirth: query.dateOfBirth,
    });
    // The note is free text (it may name the person): encrypted, erased with them, committed to.
    const note = await recordPrivateNote({ tx, ring, donor, text: query.reasonNote });
    const event = await appendEvent({
      tx,
      subject: donor
        ? { type: "donor", id: donor.id }
        : { type: "registry_search", id: actor.userId ?? "system" },
      type: "personal_data.accessed",
      payload: {
        recordType: "donor_registration",
        ...(donor ? { recordId: donor.id } : {}),
        reasonCode: query.reasonCode,
        note,
        found: donor !== null,
      },
      actor,
    });
    if (!donor) return { found: false, accessEventId: event.id };
    const record = await loadDonorRecord({ tx, donorId: donor.id, ring });
    const current = record.history.current;
    const stored = current ? record.versions.find((v) => v.version === current.version) : undefined;
    return {
      found: true,
      accessEventId: event.id,
      donorId: donor.id,
      state: record.history.state,
      current:
        current && stored
          ? {
              consentVersionId: stored.id,
              version: current.version,
              recordedAt: current.at,
              decision: current.decision,
              receiptCode: current.receiptCode,
              commitment: stored.commitment,
              ledgerEventId: stored.ledgerEventId,
            }
          : null,
    };
  }, KEY_WAIT);
}

import { ZSignatureRequestSchema } from "@/server/passkey/decision-signature";
import "server-only";

import { z } from "zod";
import { ZEventProofSchema } from "@/server/api/routers/ledger/get-event-proof";
import { CONSENT_DECISIONS, CONSENT_KINDS, RELATIONSHIPS } from "@/server/consent/decision-schema";
import { ZOrganSchema, ZPurposeSchema } from "@/server/consent/organs";

/** A consent decision as shown to the people allowed to read it (the domain's own kinds and lists). */
export const ZDecisionViewSchema = z.object({
  kind: z.enum(CONSENT_KINDS),
  decision: z.enum(CONSENT_DECISIONS),
  organs: z.array(ZOrganSchema),
  purposes: z.array(ZPurposeSchema),
  restrictions: z.string().optional(),
  authorisedBy: z
    .object({ name: z.string(), relationship: z.enum(RELATIONSHIPS), witness: z.string() })
    .optional(),
});

export const ZRecordedVersionSchema = z.object({
  consentVersionId: z.string(),
  version: z.number(),
  receiptCode: z.string(),
  commitment: z.string(),
  ledgerEventId: z.string(),
  /** The version's event to sign with the person's passkey (or the fallback already recorded). */
  signature: ZSignatureRequestSchema.nullable(),
});

export { ZEventProofSchema };

import { ZSignatureRequestSchema } from "@/server/passkey/decision-signature";
import "server-only";

import { z } from "zod";
import { ZEventProofSchema } from "@/server/api/routers/ledger/get-event-proof";

/** A consent decision as shown to the people allowed to read it. */
export const ZDecisionViewSchema = z.object({
  kind: z.enum(["FIRST_PERSON", "FAMILY_AUTHORISATION"]),
  decision: z.enum(["DONATE_ALL", "DONATE_SELECTED", "OBJECTION"]),
  organs: z.array(z.string()),
  purposes: z.array(z.string()),
  restrictions: z.string().optional(),
  authorisedBy: z.object({ name: z.string(), relationship: z.string(), witness: z.string() }).optional(),
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

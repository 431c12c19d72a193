import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { getRegistrantHistory } from "@/server/consent/registrant-history";
import { ZStepSignatureSchema } from "@/server/passkey/signature-views";
import { ZAccessRecordSchema } from "./my-access-history";

/** Regulators: a registrant's versions, statuses, commitments, anchoring and access log; no identity, no content. */
export const registrantHistory = roleProcedure("REGULATOR")
  .input(z.object({ donorId: z.uuid("donorId must be a registrant id") }))
  .output(
    z.object({
      donorId: z.string(),
      registeredAt: z.date(),
      erasedAt: z.date().nullable(),
      hasAccount: z.boolean(),
      versions: z.array(
        z.object({
          consentVersionId: z.string(),
          version: z.number(),
          kind: z.enum(["FIRST_PERSON", "FAMILY_AUTHORISATION"]),
          status: z.enum(["IN_FORCE", "SUPERSEDED", "REVOKED", "ERASED"]),
          recordedAt: z.date(),
          revokedAt: z.date().nullable(),
          receiptCode: z.string(),
          commitment: z.string(),
          ledgerEventId: z.string(),
          revocationEventId: z.string().nullable(),
          anchored: z.boolean(),
          signature: ZStepSignatureSchema.nullable(),
          revocationSignature: ZStepSignatureSchema.nullable(),
        }),
      ),
      access: z.array(ZAccessRecordSchema),
    }),
  )
  .query(({ input }) => getRegistrantHistory({ donorId: input.donorId }));

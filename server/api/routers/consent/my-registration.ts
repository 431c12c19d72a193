import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { getMyRegistration } from "@/server/consent/donor-views";
import { ZStepSignatureSchema } from "@/server/passkey/signature-views";
import { ZDecisionViewSchema } from "./schemas";

/** The signed-in donor's own record: identity, every version, anchoring. */
export const myRegistration = roleProcedure("DONOR")
  .input(z.void())
  .output(
    z.object({
      donorId: z.string(),
      registeredAt: z.date(),
      identity: z.object({
        fullName: z.string(),
        dateOfBirth: z.string(),
        identifier: z.object({ scheme: z.string(), value: z.string() }),
        contact: z.object({ email: z.string().optional(), phone: z.string().optional() }).optional(),
      }),
      state: z.enum(["NONE", "IN_FORCE", "REVOKED"]),
      versions: z.array(
        z.object({
          consentVersionId: z.string(),
          version: z.number(),
          status: z.enum(["IN_FORCE", "SUPERSEDED", "REVOKED"]),
          recordedAt: z.date(),
          endedAt: z.date().nullable(),
          decision: ZDecisionViewSchema,
          receiptCode: z.string(),
          commitment: z.string(),
          ledgerEventId: z.string(),
          anchored: z.boolean(),
          signature: ZStepSignatureSchema.nullable(),
        }),
      ),
    }),
  )
  .query(({ ctx }) => getMyRegistration({ userId: ctx.user.id }));

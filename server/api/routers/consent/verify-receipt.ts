import "server-only";

import { z } from "zod";
import { publicProcedure } from "@/server/api/trpc";
import { optionalRegistry } from "@/server/chain/client";
import { verifyReceipt as verifyReceiptFn } from "@/server/consent/verify-receipt";
import { ZDecisionViewSchema, ZEventProofSchema } from "./schemas";

export const ZReceiptVerificationSchema = z.object({
  receiptCode: z.string(),
  version: z.number(),
  kind: z.enum(["FIRST_PERSON", "FAMILY_AUTHORISATION"]),
  recordedAt: z.date(),
  status: z.enum(["IN_FORCE", "SUPERSEDED", "REVOKED", "ERASED"]),
  revokedAt: z.date().nullable(),
  commitment: z.string(),
  commitmentOnLedger: z.boolean(),
  proof: ZEventProofSchema,
  revocationProof: ZEventProofSchema.nullable(),
  content: z
    .object({ decision: ZDecisionViewSchema, salt: z.string(), commitmentMatches: z.boolean() })
    .nullable(),
});

/** Public: a receipt's commitment, ledger event and on-chain proof; the content only for its owner. */
export const verifyReceipt = publicProcedure
  .input(z.object({ code: z.string().trim().min(1, "enter the receipt code").max(40, "too long") }))
  .output(ZReceiptVerificationSchema)
  .query(async ({ ctx, input }) => {
    const registry = optionalRegistry();
    return verifyReceiptFn({ code: input.code, viewerUserId: ctx.user?.id ?? null, registry });
  });

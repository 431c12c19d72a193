import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { getOwnReceipt } from "@/server/consent/donor-views";
import { ZDecisionViewSchema } from "./schemas";

/** The signed-in donor's receipt for one version of their own decision (someone else's is not found). */
export const myReceipt = roleProcedure("DONOR")
  .input(z.object({ code: z.string().max(40) }))
  .output(
    z.object({
      receiptCode: z.string(),
      version: z.number(),
      recordedAt: z.date(),
      kind: z.enum(["FIRST_PERSON", "FAMILY_AUTHORISATION"]),
      decision: ZDecisionViewSchema,
      commitment: z.string(),
      ledgerEventId: z.string(),
      revokedAt: z.date().nullable(),
      revocationEventId: z.string().nullable(),
    }),
  )
  .query(({ ctx, input }) => getOwnReceipt({ code: input.code, userId: ctx.user.id }));

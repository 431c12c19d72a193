import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { actorOf } from "@/server/consent/donor-record";
import { searchRegistry, ZRegistrySearchSchema } from "@/server/consent/search-registry";
import { ZDecisionViewSchema } from "./schemas";

/** An OPO coordinator looks up a referred person; every look-up is a ledger event with its reason. */
export const search = roleProcedure("OPO_COORDINATOR")
  .input(ZRegistrySearchSchema)
  .output(
    z.discriminatedUnion("found", [
      z.object({ found: z.literal(false), accessEventId: z.string() }),
      z.object({
        found: z.literal(true),
        accessEventId: z.string(),
        donorId: z.string(),
        state: z.enum(["NONE", "IN_FORCE", "REVOKED"]),
        current: z
          .object({
            consentVersionId: z.string(),
            version: z.number(),
            recordedAt: z.date(),
            decision: ZDecisionViewSchema,
            receiptCode: z.string(),
            commitment: z.string(),
            ledgerEventId: z.string(),
          })
          .nullable(),
      }),
    ]),
  )
  .mutation(({ ctx, input }) => searchRegistry({ query: input, actor: actorOf(ctx.user) }));

import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { listBypassedOffers } from "@/server/regulator/allocation-oversight";

/** Regulators: every offer sent out of match-run order, with its recorded reason and skipped ranks. */
export const bypassedOffers = roleProcedure("REGULATOR", "ADMIN")
  .input(z.void())
  .output(
    z.array(
      z.object({
        offerId: z.string(),
        organId: z.string(),
        din: z.string(),
        organType: z.string(),
        matchRunId: z.string(),
        rank: z.number(),
        status: z.string(),
        sentAt: z.date(),
        centre: z.string(),
        candidateCode: z.string(),
        reason: z.string(),
        skippedRanks: z.array(z.number()),
        ledgerEventId: z.string().nullable(),
      }),
    ),
  )
  .query(() => listBypassedOffers());

import "server-only";

import { z } from "zod";
import { offerOutOfSequence, ZOfferOutOfSequenceSchema } from "@/server/allocation/offer-out-of-sequence";
import { roleProcedure } from "@/server/api/trpc";

/** Offers to a candidate below others not yet offered, with the recorded reason for the bypass. */
export const sendOutOfOrder = roleProcedure("OPO_COORDINATOR")
  .input(ZOfferOutOfSequenceSchema)
  .output(z.object({ offerId: z.string(), skippedRanks: z.number() }))
  .mutation(({ ctx, input }) => offerOutOfSequence({ input, user: ctx.user }));

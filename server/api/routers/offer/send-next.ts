import "server-only";

import { z } from "zod";
import { sendNextOffers } from "@/server/allocation/send-next-offers";
import { roleProcedure } from "@/server/api/trpc";

/** Sends a match run's next offers in rank order (one, or the policy's top N). */
export const sendNext = roleProcedure("OPO_COORDINATOR")
  .input(z.object({ matchRunId: z.uuid("matchRunId must be a match run id") }))
  .output(z.object({ offers: z.array(z.string()) }))
  .mutation(({ ctx, input }) => sendNextOffers({ matchRunId: input.matchRunId, user: ctx.user }));

import "server-only";

import { z } from "zod";
import { ZCandidateEntrySchema } from "@/server/allocation/records";
import { addCandidate } from "@/server/allocation/waitlist";
import { roleProcedure } from "@/server/api/trpc";

/** Lists a new candidate at the caller's centre. */
export const add = roleProcedure("CENTER_COORDINATOR")
  .input(ZCandidateEntrySchema)
  .output(z.object({ id: z.string(), code: z.string() }))
  .mutation(({ ctx, input }) => addCandidate({ entry: input, user: ctx.user }));

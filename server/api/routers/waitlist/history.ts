import "server-only";

import { z } from "zod";
import { candidateHistory } from "@/server/allocation/waitlist";
import { roleProcedure } from "@/server/api/trpc";
import { ZCandidateIdSchema } from "./schemas";

/** A candidate's status changes with their reasons. */
export const history = roleProcedure("CENTER_COORDINATOR")
  .input(z.object({ id: ZCandidateIdSchema }))
  .output(
    z.array(z.object({ from: z.string().nullable(), to: z.string(), reason: z.string(), at: z.date() })),
  )
  .query(({ ctx, input }) => candidateHistory({ id: input.id, user: ctx.user }));

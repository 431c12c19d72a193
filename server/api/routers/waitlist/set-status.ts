import "server-only";

import { z } from "zod";
import { setCandidateStatus, ZStatusChangeSchema } from "@/server/allocation/waitlist";
import { roleProcedure } from "@/server/api/trpc";

/** Changes a candidate's status with its reason (kept in the history). */
export const setStatus = roleProcedure("CENTER_COORDINATOR")
  .input(ZStatusChangeSchema)
  .output(z.object({ id: z.string(), status: z.string() }))
  .mutation(({ ctx, input }) => setCandidateStatus({ input, user: ctx.user }));

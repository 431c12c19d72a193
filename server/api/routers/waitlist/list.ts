import "server-only";

import { z } from "zod";
import { ZCandidateEntrySchema } from "@/server/allocation/records";
import { listCandidates, ZStatusChangeSchema } from "@/server/allocation/waitlist";
import { roleProcedure } from "@/server/api/trpc";
import { ZWaitlistRowSchema } from "./schemas";

/** The caller's centre's candidates, by organ and status. */
export const list = roleProcedure("CENTER_COORDINATOR")
  .input(
    z
      .object({
        organ: ZCandidateEntrySchema.shape.organ.optional(),
        status: ZStatusChangeSchema.shape.status.optional(),
      })
      .default({}),
  )
  .output(z.array(ZWaitlistRowSchema))
  .query(({ ctx, input }) => listCandidates({ user: ctx.user, ...input }));

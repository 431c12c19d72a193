import "server-only";

import { z } from "zod";
import { ZCandidateEntrySchema } from "@/server/allocation/records";
import { updateCandidate } from "@/server/allocation/waitlist";
import { roleProcedure } from "@/server/api/trpc";
import { ZCandidateIdSchema } from "./schemas";

/** Corrects a candidate of the caller's centre. */
export const update = roleProcedure("CENTER_COORDINATOR")
  .input(z.object({ id: ZCandidateIdSchema, entry: ZCandidateEntrySchema }))
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) => updateCandidate({ id: input.id, entry: input.entry, user: ctx.user }));

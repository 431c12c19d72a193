import { z } from "zod";
import {
  addCandidate,
  candidateHistory,
  listCandidates,
  setCandidateStatus,
  updateCandidate,
  ZCandidateEntrySchema,
  ZStatusChangeSchema,
} from "@/server/allocation/waitlist";
import { createTRPCRouter, roleProcedure } from "@/server/api/trpc";

const centre = roleProcedure("CENTER_COORDINATOR");
const ZRowSchema = z.object({
  id: z.string(),
  code: z.string(),
  organ: z.string(),
  status: z.string(),
  abo: z.string(),
  cpra: z.number(),
  listedAt: z.date(),
  hla: z.record(z.string(), z.array(z.string())),
});

/** A transplant centre's own waiting list (never another centre's). */
export const waitlistRouter = createTRPCRouter({
  list: centre
    .input(
      z
        .object({
          organ: ZCandidateEntrySchema.shape.organ.optional(),
          status: ZStatusChangeSchema.shape.status.optional(),
        })
        .default({}),
    )
    .output(z.array(ZRowSchema))
    .query(({ ctx, input }) => listCandidates({ user: ctx.user, ...input })),
  add: centre
    .input(ZCandidateEntrySchema)
    .output(z.object({ id: z.string(), code: z.string() }))
    .mutation(({ ctx, input }) => addCandidate({ entry: input, user: ctx.user })),
  update: centre
    .input(z.object({ id: z.uuid("id must be a candidate id"), entry: ZCandidateEntrySchema }))
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => updateCandidate({ id: input.id, entry: input.entry, user: ctx.user })),
  setStatus: centre
    .input(ZStatusChangeSchema)
    .output(z.object({ id: z.string(), status: z.string() }))
    .mutation(({ ctx, input }) => setCandidateStatus({ input, user: ctx.user })),
  history: centre
    .input(z.object({ id: z.uuid("id must be a candidate id") }))
    .output(
      z.array(z.object({ from: z.string().nullable(), to: z.string(), reason: z.string(), at: z.date() })),
    )
    .query(({ ctx, input }) => candidateHistory({ id: input.id, user: ctx.user })),
});

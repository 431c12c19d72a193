import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { ZCustodyEventViewSchema, ZOrganInFlightSchema } from "@/server/custody/custody-views";
import { getOrganTimeline } from "@/server/custody/organ-timeline";

export const ZTimelineResponseSchema = z.object({
  organ: ZOrganInFlightSchema,
  events: z.array(
    ZCustodyEventViewSchema.extend({ actorName: z.string().nullable(), actorOrgName: z.string().nullable() }),
  ),
});

/** One organ's custody journey, oldest step first. */
export const timeline = roleProcedure(
  "OPO_COORDINATOR",
  "CENTER_COORDINATOR",
  "COURIER",
  "REGULATOR",
  "ADMIN",
)
  .input(z.object({ organId: z.string().uuid() }))
  .output(ZTimelineResponseSchema)
  .query(({ ctx, input }) => getOrganTimeline({ user: ctx.user, organId: input.organId }));

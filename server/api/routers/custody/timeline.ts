import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { ZCustodyEventViewSchema, ZOrganInFlightSchema } from "@/server/custody/custody-views";
import { getOrganTimeline } from "@/server/custody/organ-timeline";
import { ZStepSignatureSchema } from "@/server/passkey/signature-views";

export const ZTimelineResponseSchema = z.object({
  organ: ZOrganInFlightSchema,
  related: z.object({ donorCaseId: z.string(), latestMatchRunId: z.string().nullable() }),
  events: z.array(
    ZCustodyEventViewSchema.extend({
      /** Free text (a place's name, a device's label, a reason) this user may still erase. */
      mayEraseNote: z.boolean(),
      noteOnLedger: z.boolean(),
      actorName: z.string().nullable(),
      actorOrgName: z.string().nullable(),
      signature: ZStepSignatureSchema.nullable(),
    }),
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

import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { donorIdOfSignedInUser } from "@/server/consent/donor-record";
import { listAccessHistory } from "@/server/consent/donor-views";

export const ZAccessRecordSchema = z.object({
  eventId: z.string(),
  at: z.date(),
  actorRole: z.string().nullable(),
  organisation: z.string().nullable(),
  staffName: z.string().nullable(),
  reasonCode: z.string().nullable(),
  reason: z.string(),
});

/** Who on the staff looked up the signed-in donor's record, when and why. */
export const myAccessHistory = roleProcedure("DONOR")
  .input(z.void())
  .output(z.array(ZAccessRecordSchema))
  .query(async ({ ctx }) => listAccessHistory({ donorId: await donorIdOfSignedInUser(ctx.user.id) }));

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { donorIdOfUser } from "@/server/consent/donor-record";
import { listAccessHistory } from "@/server/consent/donor-views";
import { prisma } from "@/server/db";

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
  .query(async ({ ctx }) => listAccessHistory({ donorId: await donorIdOfUser(prisma, ctx.user.id) }));

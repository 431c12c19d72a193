import "server-only";

import { z } from "zod";
import { ZRecordDonorLabSchema } from "@/server/allocation/donor-labs";
import { recordDonorLab } from "@/server/allocation/record-donor-lab";
import { roleProcedure } from "@/server/api/trpc";

/** The OPO records a donor lab result taken after referral (a ledger event); centres see the trend. */
export const recordLab = roleProcedure("OPO_COORDINATOR")
  .input(ZRecordDonorLabSchema)
  .output(z.object({ labResultId: z.string(), test: z.string(), value: z.number(), takenAt: z.date() }))
  .mutation(({ ctx, input }) => recordDonorLab({ input, user: ctx.user }));

import "server-only";

import { z } from "zod";
import { closeDonorCase, ZCloseDonorCaseSchema } from "@/server/allocation/close-donor-case";
import { roleProcedure } from "@/server/api/trpc";

/** An OPO closes one of its donor cases, with a reason (a ledger event). */
export const close = roleProcedure("OPO_COORDINATOR")
  .input(ZCloseDonorCaseSchema)
  .output(z.object({ donorCaseId: z.string(), status: z.literal("CLOSED") }))
  .mutation(({ ctx, input }) => closeDonorCase({ input, user: ctx.user }));

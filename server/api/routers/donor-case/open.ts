import "server-only";

import { z } from "zod";
import { openDonorCase, ZOpenDonorCaseSchema } from "@/server/allocation/donor-case";
import { roleProcedure } from "@/server/api/trpc";

/** Opens a deceased-donor case on a consent in force, with its organs' DINs. */
export const open = roleProcedure("OPO_COORDINATOR")
  .input(ZOpenDonorCaseSchema)
  .output(
    z.object({
      donorCaseId: z.string(),
      code: z.string(),
      kdri: z.number(),
      kdpi: z.number(),
      organs: z.array(z.object({ id: z.string(), type: z.string(), din: z.string() })),
    }),
  )
  .mutation(({ ctx, input }) => openDonorCase({ input, user: ctx.user }));

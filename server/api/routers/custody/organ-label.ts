import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { getOrganLabel } from "@/server/custody/organ-label";

/** A printable packaging label for an organ the caller may see: DIN, check character, OPO, destination. */
export const organLabel = roleProcedure(
  "OPO_COORDINATOR",
  "CENTER_COORDINATOR",
  "COURIER",
  "REGULATOR",
  "ADMIN",
)
  .input(z.object({ organId: z.string().max(64) }))
  .output(
    z.object({
      organId: z.string(),
      din: z.string(),
      check: z.string(),
      type: z.string(),
      laterality: z.string().nullable(),
      opoName: z.string(),
      opoCode: z.string(),
      destinationName: z.string().nullable(),
      crossClampAt: z.date().nullable(),
    }),
  )
  .query(({ ctx, input }) => getOrganLabel({ user: ctx.user, organId: input.organId }));

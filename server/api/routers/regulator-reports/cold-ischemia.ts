import "server-only";

import { z } from "zod";
import { coldIschemiaReport } from "@/server/regulator/reports";
import { reportProcedure } from "./schemas";

/** Cold ischemia of organs transplanted in the period, bucketed per organ type against its limit. */
export const coldIschemia = reportProcedure
  .output(
    z.array(
      z.object({
        organType: z.string(),
        bucket: z.string(),
        fromHours: z.number(),
        toHours: z.number().nullable(),
        organs: z.number(),
        limitHours: z.number(),
        beyondLimit: z.boolean(),
      }),
    ),
  )
  .query(({ ctx }) => coldIschemiaReport({ range: ctx.range }));

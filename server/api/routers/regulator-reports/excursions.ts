import "server-only";

import { z } from "zod";
import { excursionsReport } from "@/server/regulator/excursions-report";
import { reportProcedure } from "./schemas";

/** Temperature excursions recorded in custody during the period. */
export const excursions = reportProcedure
  .output(
    z.array(
      z.object({
        at: z.string(),
        organId: z.string(),
        din: z.string(),
        organType: z.string(),
        step: z.string(),
        code: z.string(),
        temperatureC: z.number().nullable(),
        rangeC: z.string(),
        preservation: z.string(),
        policy: z.string(),
      }),
    ),
  )
  .query(({ ctx }) => excursionsReport({ range: ctx.range }));

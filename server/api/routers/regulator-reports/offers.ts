import "server-only";

import { z } from "zod";
import { offerResponsesReport } from "@/server/regulator/reports";
import { reportProcedure } from "./schemas";

/** Offers sent in the period: response times by answer, and expiries. */
export const offers = reportProcedure
  .output(
    z.object({
      rows: z.array(
        z.object({ bucket: z.string(), accepted: z.number(), refused: z.number(), expired: z.number() }),
      ),
      summary: z.object({
        sent: z.number(),
        answered: z.number(),
        expired: z.number(),
        withdrawn: z.number(),
        pending: z.number(),
        medianResponseMinutes: z.number().nullable(),
      }),
    }),
  )
  .query(({ ctx }) => offerResponsesReport({ range: ctx.range }));

import "server-only";

import { z } from "zod";
import { discardsByReasonReport } from "@/server/regulator/reports";
import { reportProcedure } from "./schemas";

/** Discards in the period by stated reason. */
export const discards = reportProcedure
  .output(z.array(z.object({ reason: z.string(), organs: z.number() })))
  .query(({ ctx }) => discardsByReasonReport({ range: ctx.range }));

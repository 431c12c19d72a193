import "server-only";

import { z } from "zod";
import { organsInTransitReport } from "@/server/regulator/reports";
import { reportProcedure, ZPeriodCountSchema } from "./schemas";

/** Organs in transit per day (or hour) of the period. */
export const transit = reportProcedure
  .output(z.array(ZPeriodCountSchema))
  .query(({ ctx }) => organsInTransitReport({ range: ctx.range }));

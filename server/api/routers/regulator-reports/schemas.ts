import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { resolveReportRange, ZReportRangeSchema } from "@/server/regulator/report-series";

/** Regulators and admins read reports; the input is a period, validated into a bounded range. */
export const reportProcedure = roleProcedure("REGULATOR", "ADMIN")
  .input(ZReportRangeSchema.optional())
  .use(({ input, next }) => next({ ctx: { range: resolveReportRange(input ?? {}) } }));

export const ZPeriodCountSchema = z.object({ period: z.string(), organs: z.number() });

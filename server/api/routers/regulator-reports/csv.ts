import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { reportCsv } from "@/server/regulator/report-catalogue";
import { ZReportNameSchema } from "@/server/regulator/report-names";
import { resolveReportRange, ZReportRangeSchema } from "@/server/regulator/report-series";

/**
 * A report as a CSV document (header row first, the rows the chart draws) and the period it covers,
 * for the CSV download route (`/api/reports/<report>`).
 */
export const csv = roleProcedure("REGULATOR", "ADMIN")
  // The name as a string in, a known report out: the download route passes its path segment as it came.
  .input(z.object({ report: z.string().pipe(ZReportNameSchema), range: ZReportRangeSchema }))
  .output(z.object({ csv: z.string(), from: z.date(), toExclusive: z.date() }))
  .query(async ({ input }) => {
    const range = resolveReportRange(input.range);
    return {
      csv: await reportCsv(input.report, { range }),
      from: range.from,
      toExclusive: range.toExclusive,
    };
  });

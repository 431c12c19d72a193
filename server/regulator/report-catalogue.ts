import "server-only";

import type { PrismaClient } from "@/server/generated/prisma/client";
import { excursionsReport } from "./excursions-report";
import { type TCsvColumn, toCsv } from "./report-csv";
import type { TReportName } from "./report-names";
import type { TReportRange } from "./report-series";
import {
  coldIschemiaReport,
  consentActivityReport,
  discardsByReasonReport,
  offerResponsesReport,
  organsInTransitReport,
} from "./reports";

type TRow = Record<string, string | number | boolean | null>;
const col = (header: string, key = header): TCsvColumn<TRow> => ({ header, value: (r) => r[key] ?? null });

const COLUMNS: Record<TReportName, Array<TCsvColumn<TRow>>> = {
  "cold-ischemia": ["organType", "bucket", "fromHours", "toHours", "organs", "limitHours", "beyondLimit"].map(
    (h) => col(h),
  ),
  discards: [col("reason"), col("organs")],
  offers: [col("responseTime", "bucket"), col("accepted"), col("refused"), col("expired")],
  transit: [col("period"), col("organsInTransit", "organs")],
  consent: ["period", "registrations", "changes", "familyAuthorisations", "revocations"].map((h) => col(h)),
  excursions: [
    "at",
    "din",
    "organType",
    "step",
    "code",
    "temperatureC",
    "rangeC",
    "preservation",
    "policy",
  ].map((h) => col(h)),
};

/** A report's rows as they are charted (offers without their summary). */
export async function reportRows(name: TReportName, opts: { range: TReportRange; db?: PrismaClient }) {
  switch (name) {
    case "cold-ischemia":
      return coldIschemiaReport(opts);
    case "discards":
      return discardsByReasonReport(opts);
    case "offers":
      return (await offerResponsesReport(opts)).rows;
    case "transit":
      return organsInTransitReport(opts);
    case "consent":
      return consentActivityReport(opts);
    case "excursions":
      return excursionsReport(opts);
  }
}

/** A report as a CSV document, header row first. */
export async function reportCsv(name: TReportName, opts: { range: TReportRange; db?: PrismaClient }) {
  const rows = (await reportRows(name, opts)) as unknown as TRow[];
  return toCsv(COLUMNS[name], rows);
}

import "server-only";

import { z } from "zod";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { excursionsReport } from "./excursions-report";
import { type TCsvColumn, toCsv } from "./report-csv";
import type { TReportRange } from "./report-series";
import {
  coldIschemiaReport,
  consentActivityReport,
  discardsByReasonReport,
  offerResponsesReport,
  organsInTransitReport,
} from "./reports";

export const REPORT_NAMES = [
  "cold-ischemia",
  "discards",
  "offers",
  "transit",
  "consent",
  "excursions",
] as const;
export const ZReportNameSchema = z.enum(REPORT_NAMES);
export type TReportName = (typeof REPORT_NAMES)[number];

export const REPORT_TITLES: Record<TReportName, string> = {
  "cold-ischemia": "Cold ischemia time against the limit",
  discards: "Discards by reason",
  offers: "Offer response times and expiries",
  transit: "Organs in transit",
  consent: "Consent registrations and revocations",
  excursions: "Temperature excursions in custody",
};

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

import { z } from "zod";

/** The regulator's reports by name and title: shared by the reports page, its CSV route and the catalogue. */
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

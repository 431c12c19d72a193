import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { accessLog } from "./access-log";
import { accessingStaff } from "./accessing-staff";
import { bypassedOffers } from "./bypassed-offers";
import { coldIschemia } from "./cold-ischemia";
import { consent } from "./consent";
import { csv } from "./csv";
import { discards } from "./discards";
import { excursions } from "./excursions";
import { matchRuns } from "./match-runs";
import { offers } from "./offers";
import { transit } from "./transit";

/** Regulators' read-only oversight: the personal-data access log, allocation oversight and the reports. */
export const regulatorReportsRouter = createTRPCRouter({
  accessLog,
  accessingStaff,
  matchRuns,
  bypassedOffers,
  coldIschemia,
  discards,
  offers,
  transit,
  consent,
  excursions,
  csv,
});

import { createTRPCRouter } from "@/server/api/trpc";
import { accessLog } from "./access-log";
import { coldIschemia } from "./cold-ischemia";
import { consent } from "./consent";
import { discards } from "./discards";
import { offers } from "./offers";
import { transit } from "./transit";

/** Regulators' read-only oversight: the personal-data access log and the five reports. */
export const regulatorReportsRouter = createTRPCRouter({
  accessLog,
  coldIschemia,
  discards,
  offers,
  transit,
  consent,
});

import { createTRPCRouter } from "@/server/api/trpc";
import { catchUp } from "./catch-up";
import { findByDin } from "./find-by-din";
import { listInFlight } from "./list-in-flight";
import { recordEvent } from "./record-event";
import { timeline } from "./timeline";

export const custodyRouter = createTRPCRouter({ recordEvent, listInFlight, timeline, catchUp, findByDin });

import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { catchUp } from "./catch-up";
import { eraseNote } from "./erase-note";
import { findByDin } from "./find-by-din";
import { listInFlight } from "./list-in-flight";
import { organLabel } from "./organ-label";
import { recordEvent } from "./record-event";
import { timeline } from "./timeline";

export const custodyRouter = createTRPCRouter({
  recordEvent,
  listInFlight,
  timeline,
  catchUp,
  findByDin,
  organLabel,
  eraseNote,
});

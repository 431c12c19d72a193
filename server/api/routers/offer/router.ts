import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { answer } from "./answer";
import { eraseNotes } from "./erase-notes";
import { forCentre } from "./for-centre";
import { sendNext } from "./send-next";
import { sendOutOfOrder } from "./send-out-of-order";
import { sheet } from "./sheet";

/** Offers: OPOs send them in rank order (or out of order with a reason); centres answer. */
export const offerRouter = createTRPCRouter({
  sendNext,
  sendOutOfOrder,
  answer,
  forCentre,
  sheet,
  eraseNotes,
});

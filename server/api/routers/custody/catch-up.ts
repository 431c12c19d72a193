import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { catchUpCustodyEvents, ZCatchUpRequestSchema } from "@/server/custody/catch-up";
import { ZCustodyEventViewSchema } from "@/server/custody/custody-views";

/** Missed events after a reconnect (the same answer as the socket's `custody:catch-up`). */
export const catchUp = roleProcedure("OPO_COORDINATOR", "CENTER_COORDINATOR", "COURIER", "REGULATOR", "ADMIN")
  .input(ZCatchUpRequestSchema)
  .output(z.array(ZCustodyEventViewSchema))
  .query(({ ctx, input }) => catchUpCustodyEvents({ user: ctx.user, since: input.since }));

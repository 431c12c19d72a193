import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { ZOrganInFlightSchema } from "@/server/custody/custody-views";
import { listOrgansInFlight } from "@/server/custody/list-organs-in-flight";

/** The organs in flight for the caller's organisation (the live dashboard's first load). */
export const listInFlight = roleProcedure(
  "OPO_COORDINATOR",
  "CENTER_COORDINATOR",
  "COURIER",
  "REGULATOR",
  "ADMIN",
)
  .input(z.void())
  .output(z.array(ZOrganInFlightSchema))
  .query(({ ctx }) => listOrgansInFlight({ user: ctx.user }));

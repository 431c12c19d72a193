import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { findOrganByDin } from "@/server/custody/find-organ-by-din";

export const ZFoundOrganSchema = z.object({
  id: z.string(),
  din: z.string(),
  type: z.string(),
  status: z.string(),
  custodyState: z.string().nullable(),
  holderOrgName: z.string().nullable(),
  heldByYou: z.boolean(),
});

/** Opens an organ from its scanned or typed label (DIN with or without its check character). */
export const findByDin = roleProcedure(
  "OPO_COORDINATOR",
  "CENTER_COORDINATOR",
  "COURIER",
  "REGULATOR",
  "ADMIN",
)
  .input(z.object({ din: z.string().min(5).max(40) }))
  .output(ZFoundOrganSchema)
  .query(({ ctx, input }) => findOrganByDin({ user: ctx.user, din: input.din }));

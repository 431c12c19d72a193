import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { listRecentEvents as listRecentEventsFn } from "@/server/ledger/list-recent-events";

export const ZRecentEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  sequence: z.number(),
  serverTime: z.date(),
  actorRole: z.string().nullable(),
  anchor: z.object({ batch: z.number(), status: z.string() }).nullable(),
});

/** Regulators (and admins) see the newest ledger events and whether each is anchored yet. */
export const listRecentEvents = roleProcedure("REGULATOR", "ADMIN")
  .input(
    z.object({ limit: z.number().int().min(1).max(200).default(25), type: z.string().max(60).optional() }),
  )
  .output(z.array(ZRecentEventSchema))
  .query(({ input }) => listRecentEventsFn(input));

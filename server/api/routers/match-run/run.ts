import "server-only";

import { z } from "zod";
import { runMatch } from "@/server/allocation/run-match";
import { roleProcedure } from "@/server/api/trpc";

/** Runs the match for one organ of the caller's OPO (snapshot, ranking and ledger event together). */
export const run = roleProcedure("OPO_COORDINATOR")
  .input(
    z.object({
      organId: z.uuid("organId must be an organ id"),
      policyId: z.string().trim().min(1).max(60, "not an allocation policy id").optional(),
    }),
  )
  .output(
    z.object({
      matchRunId: z.string(),
      ledgerEventId: z.string(),
      ranked: z.number(),
      excluded: z.number(),
    }),
  )
  .mutation(({ ctx, input }) =>
    runMatch({ organId: input.organId, policyId: input.policyId, user: ctx.user }),
  );

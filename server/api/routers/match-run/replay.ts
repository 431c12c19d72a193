import "server-only";

import { z } from "zod";
import { replayMatchRun } from "@/server/allocation/replay-match-run";
import { roleProcedure } from "@/server/api/trpc";
import { ZMatchRunIdSchema } from "./schemas";

/** Re-runs a recorded match run from its ledger snapshot and compares it row by row. */
export const replay = roleProcedure("OPO_COORDINATOR", "REGULATOR", "ADMIN")
  .input(ZMatchRunIdSchema)
  .output(
    z.object({
      matchRunId: z.string(),
      snapshotVerified: z.boolean(),
      identical: z.boolean(),
      differences: z.array(z.string()),
      ranked: z.number(),
      excluded: z.number(),
    }),
  )
  .query(({ ctx, input }) => replayMatchRun({ matchRunId: input.matchRunId, user: ctx.user }));

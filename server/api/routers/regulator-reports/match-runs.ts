import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { listMatchRuns } from "@/server/regulator/allocation-oversight";

/** Regulators: every recorded match run (newest first, 200 at most), to pick one to replay. */
export const matchRuns = roleProcedure("REGULATOR", "ADMIN")
  .input(z.void())
  .output(
    z.array(
      z.object({
        matchRunId: z.string(),
        organId: z.string(),
        din: z.string(),
        organType: z.string(),
        policy: z.string(),
        createdAt: z.date(),
        snapshotHash: z.string(),
        ledgerEventId: z.string(),
        offers: z.number(),
      }),
    ),
  )
  .query(() => listMatchRuns());

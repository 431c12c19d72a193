import "server-only";

import { z } from "zod";
import { getMatchRun } from "@/server/allocation/get-match-run";
import { roleProcedure } from "@/server/api/trpc";
import { ZMatchRunIdSchema, ZRankedRowSchema } from "./schemas";

/** A match run's ranking and exclusions with candidate codes and centre names. */
export const get = roleProcedure("OPO_COORDINATOR", "REGULATOR", "ADMIN")
  .input(ZMatchRunIdSchema)
  .output(
    z.object({
      matchRunId: z.string(),
      organ: z.object({
        id: z.string(),
        type: z.string(),
        din: z.string(),
        status: z.string(),
        caseCode: z.string(),
      }),
      policy: z.object({ id: z.string(), version: z.number() }),
      createdAt: z.date(),
      snapshotHash: z.string(),
      ledgerEventId: z.string(),
      offerMode: z.object({ mode: z.string(), topN: z.number(), responseMinutes: z.number() }),
      rankedTotal: z.number(),
      excludedTotal: z.number(),
      ranked: z.array(ZRankedRowSchema),
      excluded: z.array(
        z
          .object({
            candidateId: z.string(),
            candidateCode: z.string(),
            centreId: z.string(),
            code: z.string(),
            message: z.string(),
          })
          .loose(),
      ),
    }),
  )
  .query(({ ctx, input }) => getMatchRun({ matchRunId: input.matchRunId, user: ctx.user }));

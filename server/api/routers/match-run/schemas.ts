import "server-only";

import { z } from "zod";
import { ZScoreLineSchema } from "@/server/allocation/stored-ranking";

/** A ranked row as a match run's page shows it: the engine's row, candidate code and centre name. */
export const ZRankedRowSchema = z
  .object({
    rank: z.number(),
    candidateId: z.string(),
    candidateCode: z.string(),
    centreId: z.string(),
    centre: z.string(),
    score: z.number(),
    distanceNm: z.number(),
    tier: z.object({ id: z.string(), label: z.string() }).nullable(),
    aboMatch: z.unknown(),
    hlaMismatch: z.unknown(),
    breakdown: z.array(ZScoreLineSchema),
    offer: z
      .object({
        id: z.string(),
        status: z.string(),
        deadline: z.date(),
        bypassReason: z.string().nullable(),
        /** A note (out-of-sequence reason, refusal note) that either party may still erase. */
        hasNote: z.boolean(),
      })
      .nullable(),
  })
  .loose();

export const ZMatchRunIdSchema = z.object({ matchRunId: z.uuid("matchRunId must be a match run id") });

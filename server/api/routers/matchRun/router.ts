import { z } from "zod";
import { getMatchRun, replayMatchRun, runMatch } from "@/server/allocation/match-run";
import { createTRPCRouter, roleProcedure } from "@/server/api/trpc";

const ZRankedRowSchema = z
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
    breakdown: z.array(
      z.object({
        attribute: z.string(),
        group: z.string(),
        raw: z.number().nullable(),
        normalised: z.number(),
        weight: z.number(),
        points: z.number(),
      }),
    ),
    offer: z
      .object({ id: z.string(), status: z.string(), deadline: z.date(), bypassReason: z.string().nullable() })
      .nullable(),
  })
  .loose();

/** Match runs: OPO coordinators run and read their own; regulators read and replay any. */
export const matchRunRouter = createTRPCRouter({
  run: roleProcedure("OPO_COORDINATOR")
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
    ),
  get: roleProcedure("OPO_COORDINATOR", "REGULATOR", "ADMIN")
    .input(z.object({ matchRunId: z.uuid("matchRunId must be a match run id") }))
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
    .query(({ ctx, input }) => getMatchRun({ matchRunId: input.matchRunId, user: ctx.user })),
  replay: roleProcedure("OPO_COORDINATOR", "REGULATOR", "ADMIN")
    .input(z.object({ matchRunId: z.uuid("matchRunId must be a match run id") }))
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
    .query(({ ctx, input }) => replayMatchRun({ matchRunId: input.matchRunId, user: ctx.user })),
});

import "server-only";

import { z } from "zod";
import { ZLabTrendSchema } from "@/server/allocation/donor-labs";
import { getOfferDecisionSheet } from "@/server/allocation/offer-decision-sheet";
import { roleProcedure } from "@/server/api/trpc";

const ZLocusSchema = z.object({
  donor: z.array(z.string()),
  candidate: z.array(z.string()),
  mismatched: z.array(z.string()),
});

/** One offer as a decision sheet: what the centre's surgeon decides on, for the centre offered to. */
export const sheet = roleProcedure("CENTER_COORDINATOR")
  .input(z.object({ offerId: z.uuid("offerId must be an offer id") }))
  .output(
    z.object({
      offerId: z.string(),
      status: z.string(),
      deadline: z.date(),
      rank: z.number(),
      policy: z.object({ id: z.string(), version: z.number(), label: z.string() }).nullable(),
      organ: z.object({ type: z.string(), laterality: z.string().nullable(), din: z.string() }),
      donor: z.object({
        caseCode: z.string(),
        abo: z.string(),
        ageYears: z.number(),
        sex: z.string(),
        heightCm: z.number(),
        weightKg: z.number(),
        causeOfDeath: z.string(),
        dcd: z.boolean(),
        hypertension: z.boolean(),
        diabetes: z.boolean(),
        creatinineMgDl: z.number(),
        labs: z.array(ZLabTrendSchema),
        serology: z.object({ hbv: z.boolean(), hcv: z.boolean(), hiv: z.boolean() }),
        kdri: z.number().nullable(),
        kdpi: z.number().nullable(),
      }),
      candidate: z.object({
        code: z.string(),
        abo: z.string(),
        ageYears: z.number().nullable(),
        sex: z.string().nullable(),
        heightCm: z.number().nullable(),
        weightKg: z.number().nullable(),
        cpra: z.number(),
      }),
      hla: z
        .object({ loci: z.object({ A: ZLocusSchema, B: ZLocusSchema, DR: ZLocusSchema }), total: z.number() })
        .nullable(),
      ischemia: z.object({
        crossClampAt: z.date().nullable(),
        limitMinutes: z.number().nullable(),
        elapsedMinutes: z.number().nullable(),
        percentUsed: z.number().nullable(),
        travel: z
          .object({ minutes: z.number(), mode: z.enum(["road", "air"]), distanceNm: z.number() })
          .nullable(),
        percentUsedAtArrival: z.number().nullable(),
      }),
      consent: z
        .object({
          status: z.enum(["IN_FORCE", "SUPERSEDED", "REVOKED", "ERASED"]),
          covered: z.boolean(),
          restrictions: z.string().nullable(),
        })
        .nullable(),
    }),
  )
  .query(({ ctx, input }) => getOfferDecisionSheet({ offerId: input.offerId, user: ctx.user }));

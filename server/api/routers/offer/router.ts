import { z } from "zod";
import {
  answerOffer,
  listCentreOffers,
  offerOutOfOrder,
  sendNextOffers,
  ZAnswerOfferSchema,
  ZOfferOutOfOrderSchema,
} from "@/server/allocation/offers";
import { createTRPCRouter, roleProcedure } from "@/server/api/trpc";

/** Offers: OPOs send them in rank order (or out of order with a reason); centres answer. */
export const offerRouter = createTRPCRouter({
  sendNext: roleProcedure("OPO_COORDINATOR")
    .input(z.object({ matchRunId: z.uuid("matchRunId must be a match run id") }))
    .output(z.object({ offers: z.array(z.string()) }))
    .mutation(({ ctx, input }) => sendNextOffers({ matchRunId: input.matchRunId, user: ctx.user })),
  sendOutOfOrder: roleProcedure("OPO_COORDINATOR")
    .input(ZOfferOutOfOrderSchema)
    .output(z.object({ offerId: z.string(), skippedRanks: z.number() }))
    .mutation(({ ctx, input }) => offerOutOfOrder({ input, user: ctx.user })),
  answer: roleProcedure("CENTER_COORDINATOR")
    .input(ZAnswerOfferSchema)
    .output(z.object({ offerId: z.string(), status: z.string(), organStatus: z.string() }))
    .mutation(({ ctx, input }) => answerOffer({ input, user: ctx.user })),
  forCentre: roleProcedure("CENTER_COORDINATOR")
    .input(z.void())
    .output(
      z.object({
        /** The server's clock, so countdowns tick on server time. */
        serverNow: z.date(),
        offers: z.array(
          z.object({
            offerId: z.string(),
            status: z.string(),
            rank: z.number(),
            sentAt: z.date(),
            deadline: z.date(),
            candidateCode: z.string(),
            organ: z.object({
              id: z.string(),
              type: z.string(),
              laterality: z.string().nullable(),
              din: z.string(),
            }),
            donor: z.object({
              caseCode: z.string(),
              abo: z.string().nullable(),
              ageYears: z.number().nullable(),
              dcd: z.boolean().nullable(),
              kdpi: z.number().nullable(),
            }),
            bypassReason: z.string().nullable(),
            refusalReason: z.string().nullable(),
          }),
        ),
      }),
    )
    .query(async ({ ctx }) => {
      const now = new Date();
      return { serverNow: now, offers: await listCentreOffers({ user: ctx.user, now }) };
    }),
});

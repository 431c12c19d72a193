import "server-only";

import { z } from "zod";
import { answerOffer, ZAnswerOfferSchema } from "@/server/allocation/answer-offer";
import { roleProcedure } from "@/server/api/trpc";
import { ZSignatureRequestSchema } from "@/server/passkey/decision-signature";

/** A centre accepts or refuses (with a reason) an offer made to it. */
export const answer = roleProcedure("CENTER_COORDINATOR")
  .input(ZAnswerOfferSchema)
  .output(
    z.object({
      offerId: z.string(),
      status: z.string(),
      organStatus: z.string(),
      /** The answer's event to sign with the person's passkey (or the fallback already recorded). */
      signature: ZSignatureRequestSchema.nullable(),
    }),
  )
  .mutation(({ ctx, input }) => answerOffer({ input, user: ctx.user }));

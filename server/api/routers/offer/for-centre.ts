import "server-only";

import { z } from "zod";
import { listCentreOffers } from "@/server/allocation/list-centre-offers";
import { roleProcedure } from "@/server/api/trpc";

/** The caller's centre's offers: open ones first, then the last day's answers. */
export const forCentre = roleProcedure("CENTER_COORDINATOR")
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
          /** A note (refusal note, out-of-sequence reason) the centre may still erase. */
          hasNote: z.boolean(),
        }),
      ),
    }),
  )
  .query(async ({ ctx }) => {
    const now = new Date();
    return { serverNow: now, offers: await listCentreOffers({ user: ctx.user, now }) };
  });

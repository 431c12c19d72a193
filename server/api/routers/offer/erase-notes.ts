import "server-only";

import { z } from "zod";
import { eraseOfferNotes } from "@/server/allocation/erase-offer-notes";
import { roleProcedure } from "@/server/api/trpc";

export const ZEraseOfferNotesRequestSchema = z.object({ offerId: z.uuid("offerId must be an offer id") });

/**
 * Either party to an offer erases its free text (a refusal's note, an out-of-sequence reason): a
 * ledger event; an offer of other organisations is not found.
 */
export const eraseNotes = roleProcedure("OPO_COORDINATOR", "CENTER_COORDINATOR")
  .input(ZEraseOfferNotesRequestSchema)
  .output(z.object({ offerId: z.string(), notesErased: z.number() }))
  .mutation(({ ctx, input }) => eraseOfferNotes({ offerId: input.offerId, user: ctx.user }));

import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { SIGNATURE_MEANING_CODES } from "@/server/ledger/signature-meaning";
import { declineSigning } from "@/server/passkey/sign-decision";
import { SIGNERS } from "./signers";

/** The person did not sign (cancelled the passkey prompt): the fallback is recorded on the ledger. */
export const decline = roleProcedure(...SIGNERS)
  .input(z.object({ eventId: z.uuid("eventId must be a ledger event id") }))
  .output(z.object({ eventId: z.string(), meaning: z.enum(SIGNATURE_MEANING_CODES) }))
  .mutation(({ ctx, input }) => declineSigning({ user: ctx.user, eventId: input.eventId }));

import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { SIGNATURE_MEANING_CODES } from "@/server/ledger/signature-meaning";
import { signDecision, ZAuthenticationResponseSchema } from "@/server/passkey/sign-decision";
import { SIGNERS } from "./signers";

/** Records the person's passkey signature over their decision's event hash, once verified. */
export const sign = roleProcedure(...SIGNERS)
  .input(
    z.object({
      eventId: z.uuid("eventId must be a ledger event id"),
      response: ZAuthenticationResponseSchema,
    }),
  )
  .output(
    z.object({ signatureEventId: z.string(), signedAt: z.date(), meaning: z.enum(SIGNATURE_MEANING_CODES) }),
  )
  .mutation(({ ctx, input }) =>
    signDecision({ user: ctx.user, eventId: input.eventId, response: input.response }),
  );

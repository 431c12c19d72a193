import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { actorOf, donorIdOfSignedInUser } from "@/server/consent/donor-record";
import { revokeConsentVersion } from "@/server/consent/record-consent";
import { ZSignatureRequestSchema } from "@/server/passkey/decision-signature";

/** A donor revokes the decision in force; it stays in the history, marked revoked. */
export const revoke = roleProcedure("DONOR")
  .input(z.void())
  .output(
    z.object({
      version: z.number(),
      receiptCode: z.string(),
      ledgerEventId: z.string(),
      signature: ZSignatureRequestSchema.nullable(),
    }),
  )
  .mutation(async ({ ctx }) => {
    const donorId = await donorIdOfSignedInUser(ctx.user.id);
    return revokeConsentVersion({ donorId, actor: actorOf(ctx.user) });
  });

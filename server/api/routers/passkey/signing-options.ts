import "server-only";

import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { SIGNATURE_MEANING_CODES } from "@/server/ledger/signature-meaning";
import { decisionSigningOptions } from "@/server/passkey/sign-decision";
import { SIGNERS } from "./signers";

/** WebAuthn options whose challenge is the decision's event hash. */
export const signingOptions = roleProcedure(...SIGNERS)
  .input(z.object({ eventId: z.uuid("eventId must be a ledger event id") }))
  .output(
    z.object({
      options: z.custom<PublicKeyCredentialRequestOptionsJSON>((v) => typeof v === "object" && v !== null),
      meaning: z.enum(SIGNATURE_MEANING_CODES),
    }),
  )
  .mutation(({ ctx, input }) => decisionSigningOptions({ user: ctx.user, eventId: input.eventId }));

import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { enrolPasskey, ZRegistrationResponseSchema } from "@/server/passkey/enrol-passkey";
import { SIGNERS } from "./signers";

/** Verifies the browser's new passkey and records its enrolment (with the public key) on the ledger. */
export const enrol = roleProcedure(...SIGNERS)
  .input(z.object({ response: ZRegistrationResponseSchema }))
  .output(z.object({ passkeyId: z.string(), createdAt: z.date() }))
  .mutation(({ ctx, input }) => enrolPasskey({ user: ctx.user, response: input.response }));

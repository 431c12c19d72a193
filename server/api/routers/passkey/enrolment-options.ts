import "server-only";

import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { passkeyEnrolmentOptions } from "@/server/passkey/enrol-passkey";
import { SIGNERS } from "./signers";

/** Registration options (a fresh challenge) for adding a passkey to the signed-in person. */
export const enrolmentOptions = roleProcedure(...SIGNERS)
  .input(z.void())
  .output(z.custom<PublicKeyCredentialCreationOptionsJSON>((v) => typeof v === "object" && v !== null))
  .mutation(({ ctx }) => passkeyEnrolmentOptions({ user: ctx.user }));

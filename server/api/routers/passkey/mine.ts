import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { listMyPasskeys } from "@/server/passkey/enrol-passkey";
import { SIGNERS } from "./signers";

/** The signed-in person's passkeys (no key material). */
export const mine = roleProcedure(...SIGNERS)
  .input(z.void())
  .output(z.array(z.object({ id: z.string(), createdAt: z.date(), lastUsedAt: z.date().nullable() })))
  .query(({ ctx }) => listMyPasskeys({ userId: ctx.user.id }));

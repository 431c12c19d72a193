import "server-only";

import { z } from "zod";
import { authedProcedure } from "@/server/api/trpc";
import { ZSessionUserSchema } from "@/server/auth/roles";

export const ZWhoamiResponseSchema = ZSessionUserSchema;

/** The signed-in user, as the session carries them. */
export const whoami = authedProcedure
  .input(z.void())
  .output(ZWhoamiResponseSchema)
  .query(({ ctx }) => ctx.user);

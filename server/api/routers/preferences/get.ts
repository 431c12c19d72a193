import "server-only";

import { z } from "zod";
import { authedProcedure } from "@/server/api/trpc";
import { ZUserPreferencesSchema } from "@/server/preferences/preferences-schema";
import { getUserPreferences } from "@/server/preferences/user-preferences";

/** The signed-in user's display and alert settings. */
export const get = authedProcedure
  .input(z.void())
  .output(ZUserPreferencesSchema)
  .query(({ ctx }) => getUserPreferences({ userId: ctx.user.id }));

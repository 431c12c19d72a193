import "server-only";

import { roleProcedure } from "@/server/api/trpc";
import { ZUserPreferencesSchema } from "@/server/preferences/preferences-schema";
import { updateUserPreferences } from "@/server/preferences/user-preferences";

/** Saves the signed-in user's own settings (regulators change nothing, so they keep the defaults). */
export const update = roleProcedure("DONOR", "OPO_COORDINATOR", "CENTER_COORDINATOR", "COURIER", "ADMIN")
  .input(ZUserPreferencesSchema)
  .output(ZUserPreferencesSchema)
  .mutation(({ ctx, input }) => updateUserPreferences({ userId: ctx.user.id, preferences: input }));

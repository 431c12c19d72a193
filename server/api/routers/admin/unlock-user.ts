import "server-only";

import { z } from "zod";
import { ZUserIdSchema } from "@/server/admin/admin-schemas";
import { unlockUser as unlockUserFn } from "@/server/admin/unlock-user";
import { roleProcedure } from "@/server/api/trpc";

export const unlockUser = roleProcedure("ADMIN")
  .input(ZUserIdSchema)
  .output(z.object({ userId: z.string() }))
  .mutation(({ ctx, input }) => unlockUserFn({ userId: input.userId, user: ctx.user }));

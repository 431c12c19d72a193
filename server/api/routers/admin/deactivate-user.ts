import "server-only";

import { z } from "zod";
import { ZDeactivateUserSchema } from "@/server/admin/admin-schemas";
import { deactivateUser as deactivateUserFn } from "@/server/admin/set-user-active";
import { roleProcedure } from "@/server/api/trpc";

export const deactivateUser = roleProcedure("ADMIN")
  .input(ZDeactivateUserSchema)
  .output(z.object({ userId: z.string() }))
  .mutation(({ ctx, input }) => deactivateUserFn({ input, user: ctx.user }));

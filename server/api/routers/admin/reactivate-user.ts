import "server-only";

import { z } from "zod";
import { ZUserIdSchema } from "@/server/admin/admin-schemas";
import { reactivateUser as reactivateUserFn } from "@/server/admin/set-user-active";
import { roleProcedure } from "@/server/api/trpc";

export const reactivateUser = roleProcedure("ADMIN")
  .input(ZUserIdSchema)
  .output(z.object({ userId: z.string() }))
  .mutation(({ ctx, input }) => reactivateUserFn({ userId: input.userId, user: ctx.user }));

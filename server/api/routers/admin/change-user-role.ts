import "server-only";

import { z } from "zod";
import { ZChangeUserRoleSchema } from "@/server/admin/admin-schemas";
import { changeUserRole as changeUserRoleFn } from "@/server/admin/change-user-role";
import { roleProcedure } from "@/server/api/trpc";

export const changeUserRole = roleProcedure("ADMIN")
  .input(ZChangeUserRoleSchema)
  .output(z.object({ userId: z.string() }))
  .mutation(({ ctx, input }) => changeUserRoleFn({ input, user: ctx.user }));

import "server-only";

import { z } from "zod";
import { ZCreateUserSchema } from "@/server/admin/admin-schemas";
import { createUser as createUserFn } from "@/server/admin/create-user";
import { roleProcedure } from "@/server/api/trpc";

export const createUser = roleProcedure("ADMIN")
  .input(ZCreateUserSchema)
  .output(z.object({ userId: z.string() }))
  .mutation(({ ctx, input }) => createUserFn({ input, user: ctx.user }));

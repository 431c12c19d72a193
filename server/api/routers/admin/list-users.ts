import "server-only";

import { z } from "zod";
import { listUsers as listUsersFn } from "@/server/admin/list-users";
import { roleProcedure } from "@/server/api/trpc";
import { ZRoleSchema } from "@/server/auth/roles";

export const ZUserSummarySchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: ZRoleSchema,
  organisation: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
  locked: z.boolean(),
  deactivated: z.boolean(),
});

export const listUsers = roleProcedure("ADMIN")
  .input(z.void())
  .output(z.array(ZUserSummarySchema))
  .query(() => listUsersFn());

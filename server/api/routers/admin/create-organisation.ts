import "server-only";

import { z } from "zod";
import { ZCreateOrganisationSchema } from "@/server/admin/admin-schemas";
import { createOrganisation as createOrganisationFn } from "@/server/admin/create-organisation";
import { roleProcedure } from "@/server/api/trpc";

export const createOrganisation = roleProcedure("ADMIN")
  .input(ZCreateOrganisationSchema)
  .output(z.object({ organisationId: z.string() }))
  .mutation(({ ctx, input }) => createOrganisationFn({ input, user: ctx.user }));

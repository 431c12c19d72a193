import "server-only";

import { z } from "zod";
import { ZUpdateOrganisationSchema } from "@/server/admin/admin-schemas";
import { updateOrganisation as updateOrganisationFn } from "@/server/admin/update-organisation";
import { roleProcedure } from "@/server/api/trpc";

export const updateOrganisation = roleProcedure("ADMIN")
  .input(ZUpdateOrganisationSchema)
  .output(z.object({ organisationId: z.string() }))
  .mutation(({ ctx, input }) => updateOrganisationFn({ input, user: ctx.user }));

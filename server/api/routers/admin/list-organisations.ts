import "server-only";

import { z } from "zod";
import { listOrganisations as listOrganisationsFn } from "@/server/admin/list-users";
import { roleProcedure } from "@/server/api/trpc";

export const ZOrganisationSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(["OPO", "TRANSPLANT_CENTER", "REGULATOR", "COURIER_SERVICE", "PLATFORM"]),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
});

export const listOrganisations = roleProcedure("ADMIN", "REGULATOR")
  .input(z.void())
  .output(z.array(ZOrganisationSchema))
  .query(() => listOrganisationsFn());

import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { exportOrganFhir } from "@/server/regulator/organ-fhir";

/** Regulators: an organ's history as a FHIR R4 Bundle (Provenance and AuditEvent resources). */
export const organFhir = roleProcedure("REGULATOR", "ADMIN")
  .input(z.object({ organId: z.uuid("organId must be an organ id") }))
  .output(z.record(z.string(), z.unknown()))
  .query(({ input }) => exportOrganFhir({ organId: input.organId }));

import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { exportConsentFhir } from "@/server/consent/export-fhir";
import { ZAccessReasonSchema } from "@/server/consent/search-registry";

/**
 * A consent version as a FHIR R4 Consent (JSON). Donors export their own; staff give a reason and
 * the export is recorded as an access (regulators get no identity fields). A mutation (a POST under
 * the origin check), because it writes that access record: a cross-site link must not be able to
 * forge a "record accessed" line in the donor's history. Regulators may call it since the access
 * record is its only effect (`readOnlyEffect`).
 */
export const exportFhir = roleProcedure("DONOR", "OPO_COORDINATOR", "REGULATOR")
  .meta({
    access: ["DONOR", "OPO_COORDINATOR", "REGULATOR"],
    readOnlyEffect: "records the access in the donor's history",
  })
  .input(
    z.object({
      consentVersionId: z.uuid("consentVersionId must be a consent version id"),
      reason: ZAccessReasonSchema.optional(),
    }),
  )
  .output(z.record(z.string(), z.unknown()))
  .mutation(({ ctx, input }) =>
    exportConsentFhir({ consentVersionId: input.consentVersionId, viewer: ctx.user, reason: input.reason }),
  );

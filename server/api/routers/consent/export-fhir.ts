import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { exportConsentFhir } from "@/server/consent/export-fhir";
import { ZAccessReasonSchema } from "@/server/consent/search-registry";

/**
 * A consent version as a FHIR R4 Consent (JSON). Donors export their own; staff give a reason and
 * the export is recorded as an access (regulators get no identity fields).
 */
export const exportFhir = roleProcedure("DONOR", "OPO_COORDINATOR", "REGULATOR")
  .input(
    z.object({
      consentVersionId: z.uuid("consentVersionId must be a consent version id"),
      reason: ZAccessReasonSchema.optional(),
    }),
  )
  .output(z.record(z.string(), z.unknown()))
  .query(({ ctx, input }) =>
    exportConsentFhir({ consentVersionId: input.consentVersionId, viewer: ctx.user, reason: input.reason }),
  );

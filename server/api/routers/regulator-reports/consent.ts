import "server-only";

import { z } from "zod";
import { consentActivityReport } from "@/server/regulator/reports";
import { reportProcedure } from "./schemas";

/** Consent registrations, changes, family authorisations and revocations per day. */
export const consent = reportProcedure
  .output(
    z.array(
      z.object({
        period: z.string(),
        registrations: z.number(),
        changes: z.number(),
        familyAuthorisations: z.number(),
        revocations: z.number(),
      }),
    ),
  )
  .query(({ ctx }) => consentActivityReport({ range: ctx.range }));

import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import type { TAuditBundle } from "@/server/ledger/audit-bundle";
import { auditBundleDownload } from "@/server/regulator/audit-bundle-download";

/**
 * Regulators: the audit bundle of an organ, a subject or a period (`organId`, or `subjectType` and
 * `subjectId`, or `from` and `to`), as the `/api/ledger/bundle` download serves it. The bundle is
 * checked where it is built (a whole ledger's events are not parsed again on the way out).
 */
export const auditBundle = roleProcedure("REGULATOR", "ADMIN")
  .input(z.record(z.string(), z.string()))
  .output(
    z.object({
      bundle: z.custom<TAuditBundle>((v) => typeof v === "object" && v !== null),
      name: z.string(),
    }),
  )
  .query(({ input }) => auditBundleDownload({ params: input }));

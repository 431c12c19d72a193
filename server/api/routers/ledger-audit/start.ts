import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { startLedgerAudit } from "@/server/regulator/ledger-audit-job";
import { ZLedgerAuditJobSchema } from "./schemas";

/**
 * Regulators (and admins): start a whole-ledger audit in the background, or get the one running.
 * A mutation (a POST under the origin check), since it starts work on the server: a link or image
 * on another site must not be able to start audits. It changes no domain state, which is why
 * regulators may call it (`readOnlyEffect`). Idempotent: the caller names the run with a fresh
 * `runId`, so a repeated or retried request returns that run instead of starting another.
 */
export const start = roleProcedure("REGULATOR", "ADMIN")
  .meta({ access: ["REGULATOR", "ADMIN"], readOnlyEffect: "starts a read-only audit job" })
  .input(z.object({ runId: z.uuid("runId must be a UUID") }))
  .output(ZLedgerAuditJobSchema)
  .mutation(({ input, ctx }) => startLedgerAudit({ id: input.runId, startedBy: ctx.user.id }));

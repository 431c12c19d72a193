import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { startLedgerAudit } from "@/server/regulator/ledger-audit-job";
import { ZLedgerAuditJobSchema } from "./schemas";

/**
 * Regulators (and admins): start a whole-ledger audit in the background, or get the one running.
 * A query, not a mutation: it reads the ledger and the chain and changes nothing (regulators may
 * call no mutation), and it is idempotent: the caller names the run with a fresh `runId`, so a
 * repeated or retried request returns that run instead of starting another.
 */
export const start = roleProcedure("REGULATOR", "ADMIN")
  .input(z.object({ runId: z.uuid("runId must be a UUID") }))
  .output(ZLedgerAuditJobSchema)
  .query(({ input, ctx }) => startLedgerAudit({ id: input.runId, startedBy: ctx.user.id }));

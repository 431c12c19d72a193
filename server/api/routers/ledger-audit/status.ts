import "server-only";

import { roleProcedure } from "@/server/api/trpc";
import { ledgerAuditStatus } from "@/server/regulator/ledger-audit-job";
import { ZLedgerAuditJobSchema } from "./schemas";

/** Regulators (and admins): the running or last whole-ledger audit, its progress and its findings. */
export const status = roleProcedure("REGULATOR", "ADMIN")
  .output(ZLedgerAuditJobSchema.nullable())
  .query(() => ledgerAuditStatus());

import { createTRPCRouter } from "@/server/api/trpc";
import { start } from "./start";
import { status } from "./status";

export const ledgerAuditRouter = createTRPCRouter({ start, status });

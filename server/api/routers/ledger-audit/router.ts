import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { start } from "./start";
import { status } from "./status";
import { subjects } from "./subjects";

export const ledgerAuditRouter = createTRPCRouter({ start, status, subjects });

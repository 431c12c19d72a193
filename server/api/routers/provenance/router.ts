import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { listOrgans } from "./list-organs";
import { organTimeline } from "./organ-timeline";

export const provenanceRouter = createTRPCRouter({ listOrgans, organTimeline });

import { createTRPCRouter } from "@/server/api/trpc";
import { organTimeline } from "./organ-timeline";

export const provenanceRouter = createTRPCRouter({ organTimeline });

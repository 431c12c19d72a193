import { createTRPCRouter } from "@/server/api/trpc";
import { getEventProof } from "./get-event-proof";
import { listRecentEvents } from "./list-recent-events";

export const ledgerRouter = createTRPCRouter({ getEventProof, listRecentEvents });

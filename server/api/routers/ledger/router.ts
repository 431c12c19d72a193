import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { chainIdentity } from "./chain-identity";
import { getEventProof } from "./get-event-proof";
import { listRecentEvents } from "./list-recent-events";

export const ledgerRouter = createTRPCRouter({ chainIdentity, getEventProof, listRecentEvents });

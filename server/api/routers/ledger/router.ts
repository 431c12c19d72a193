import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { auditBundle } from "./audit-bundle";
import { chainIdentity } from "./chain-identity";
import { getEventProof } from "./get-event-proof";
import { listRecentEvents } from "./list-recent-events";

export const ledgerRouter = createTRPCRouter({ auditBundle, chainIdentity, getEventProof, listRecentEvents });

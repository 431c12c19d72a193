import { createTRPCRouter } from "@/server/api/trpc";
import { getEventProof } from "./get-event-proof";

export const ledgerRouter = createTRPCRouter({ getEventProof });

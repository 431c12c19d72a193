import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { listOrgans } from "./list-organs";
import { organFhir } from "./organ-fhir";
import { organTimeline } from "./organ-timeline";

export const provenanceRouter = createTRPCRouter({ listOrgans, organTimeline, organFhir });

import "server-only";

import { createTRPCRouter } from "@/server/api/trpc";
import { health } from "./health";

export const systemRouter = createTRPCRouter({ health });

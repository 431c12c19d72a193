import "server-only";

import { z } from "zod";
import { publicProcedure } from "@/server/api/trpc";
import { checkHealth, ZHealthSchema } from "@/server/health/check-health";

/** Health of the database, chain and live channel (the same report as /api/health). */
export const health = publicProcedure
  .input(z.void())
  .output(ZHealthSchema)
  .query(() => checkHealth());

import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { listAccessingStaff } from "@/server/regulator/access-log";

/** Regulators: the staff who ever read personal data, to filter the access log by person. */
export const accessingStaff = roleProcedure("REGULATOR", "ADMIN")
  .input(z.void())
  .output(
    z.array(z.object({ id: z.string(), name: z.string().nullable(), email: z.string(), role: z.string() })),
  )
  .query(() => listAccessingStaff());

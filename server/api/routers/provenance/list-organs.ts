import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { listOrgansForAudit } from "@/server/regulator/list-organs";

/** Regulators: every organ (newest first, 200 at most), each to open its provenance timeline. */
export const listOrgans = roleProcedure("REGULATOR", "ADMIN")
  .input(z.void())
  .output(
    z.array(
      z.object({
        id: z.string(),
        din: z.string(),
        type: z.string(),
        laterality: z.string().nullable(),
        status: z.string(),
        createdAt: z.date(),
        donorCaseCode: z.string(),
        custodySteps: z.number(),
      }),
    ),
  )
  .query(() => listOrgansForAudit());

import "server-only";

import { z } from "zod";
import { listDonorCases } from "@/server/allocation/donor-case";
import { roleProcedure } from "@/server/api/trpc";
import { ZCaseOrganSchema } from "./schemas";

/** The caller's OPO's donor cases with their organs. */
export const list = roleProcedure("OPO_COORDINATOR")
  .input(z.void())
  .output(
    z.array(
      z.object({
        id: z.string(),
        code: z.string(),
        status: z.string(),
        referralHospital: z.string(),
        openedAt: z.date(),
        kdpi: z.number().nullable(),
        organs: z.array(ZCaseOrganSchema),
      }),
    ),
  )
  .query(({ ctx }) => listDonorCases({ user: ctx.user }));

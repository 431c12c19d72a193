import "server-only";

import { z } from "zod";
import { getDonorCase } from "@/server/allocation/donor-case";
import { ZLabTrendSchema } from "@/server/allocation/donor-labs";
import { roleProcedure } from "@/server/api/trpc";
import { ZCaseOrganSchema } from "./schemas";

/** One donor case of the caller's OPO: donor facts, consent relied on, organs with their latest run. */
export const get = roleProcedure("OPO_COORDINATOR")
  .input(z.object({ id: z.uuid("id must be a donor case id") }))
  .output(
    z.object({
      id: z.string(),
      code: z.string(),
      status: z.enum(["OPEN", "CLOSED"]),
      closedAt: z.date().nullable(),
      closedReasonCode: z.string().nullable(),
      closedNote: z.string().nullable(),
      closedNoteErased: z.boolean(),
      referralHospital: z.string(),
      openedAt: z.date(),
      kdri: z.number().nullable(),
      kdpi: z.number().nullable(),
      donor: z.record(z.string(), z.unknown()),
      labs: z.array(ZLabTrendSchema),
      consent: z
        .object({
          id: z.string(),
          kind: z.string(),
          receiptCode: z.string(),
          version: z.number(),
          status: z.enum(["IN_FORCE", "SUPERSEDED", "REVOKED", "ERASED"]),
          restrictions: z.string().nullable(),
        })
        .nullable(),
      organs: z.array(
        ZCaseOrganSchema.extend({
          latestMatchRun: z
            .object({
              id: z.string(),
              createdAt: z.date(),
              policyId: z.string(),
              policyVersion: z.number(),
            })
            .nullable(),
          pendingOffers: z.number(),
          policies: z.array(z.object({ id: z.string(), label: z.string(), isDefault: z.boolean() })),
        }),
      ),
    }),
  )
  .query(({ ctx, input }) => getDonorCase({ id: input.id, user: ctx.user }));

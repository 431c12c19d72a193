import { z } from "zod";
import {
  getDonorCase,
  listDonorCases,
  openDonorCase,
  ZOpenDonorCaseSchema,
} from "@/server/allocation/donor-case";
import { createTRPCRouter, roleProcedure } from "@/server/api/trpc";

const opo = roleProcedure("OPO_COORDINATOR");
const ZOrganSchema = z.object({
  id: z.string(),
  type: z.string(),
  laterality: z.string().nullable(),
  din: z.string(),
  status: z.string(),
});

/** Deceased-donor cases of the caller's OPO. */
export const donorCaseRouter = createTRPCRouter({
  open: opo
    .input(ZOpenDonorCaseSchema)
    .output(
      z.object({
        donorCaseId: z.string(),
        code: z.string(),
        kdri: z.number(),
        kdpi: z.number(),
        organs: z.array(z.object({ id: z.string(), type: z.string(), din: z.string() })),
      }),
    )
    .mutation(({ ctx, input }) => openDonorCase({ input, user: ctx.user })),
  list: opo
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
          organs: z.array(ZOrganSchema),
        }),
      ),
    )
    .query(({ ctx }) => listDonorCases({ user: ctx.user })),
  get: opo
    .input(z.object({ id: z.uuid("id must be a donor case id") }))
    .output(
      z.object({
        id: z.string(),
        code: z.string(),
        referralHospital: z.string(),
        openedAt: z.date(),
        kdri: z.number().nullable(),
        kdpi: z.number().nullable(),
        donor: z.record(z.string(), z.unknown()),
        consent: z
          .object({ id: z.string(), kind: z.string(), receiptCode: z.string(), version: z.number() })
          .nullable(),
        organs: z.array(
          ZOrganSchema.extend({
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
    .query(({ ctx, input }) => getDonorCase({ id: input.id, user: ctx.user })),
});

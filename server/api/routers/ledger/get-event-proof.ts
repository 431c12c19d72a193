import "server-only";

import { z } from "zod";
import { publicProcedure } from "@/server/api/trpc";
import { optionalRegistry } from "@/server/chain/client";
import { getEventProof as getEventProofFn } from "@/server/ledger/get-event-proof";

const ZOnChainSchema = z
  .union([
    z.object({ rootMatches: z.boolean(), proofVerified: z.boolean() }),
    z.object({ error: z.string() }),
  ])
  .nullable();

export const ZEventProofSchema = z.object({
  event: z.object({
    id: z.string(),
    subjectType: z.string(),
    subjectId: z.string(),
    sequence: z.number(),
    type: z.string(),
    serverTime: z.string(),
    hash: z.string(),
    prevHash: z.string().nullable(),
  }),
  hashValid: z.boolean(),
  previous: z
    .object({ id: z.string(), sequence: z.number(), hash: z.string(), linkValid: z.boolean() })
    .nullable(),
  anchor: z.union([
    z.object({ status: z.literal("NOT_YET_BATCHED") }),
    z.object({
      status: z.enum(["PENDING", "SENT", "CONFIRMED"]),
      batch: z.number(),
      root: z.string(),
      leafIndex: z.number(),
      leaf: z.string(),
      proof: z.array(z.string()),
      txHash: z.string().nullable(),
      blockNumber: z.string().nullable(),
      chainId: z.string().nullable(),
      contract: z.string().nullable(),
      confirmations: z.number().nullable(),
      confirmationsRequired: z.number(),
      onChain: ZOnChainSchema,
    }),
  ]),
});

/**
 * Public: anyone may check that an event existed and is unchanged. The proof carries hashes and
 * ids only (no payload), so it reveals nothing personal.
 */
export const getEventProof = publicProcedure
  .input(z.object({ eventId: z.uuid("eventId must be a ledger event id (a UUID)") }))
  .output(ZEventProofSchema)
  .query(async ({ input }) => {
    const registry = optionalRegistry();
    return getEventProofFn({ eventId: input.eventId, registry });
  });

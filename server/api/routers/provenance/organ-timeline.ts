import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { chainClient } from "@/server/chain/client";
import { getOrganProvenance } from "@/server/regulator/organ-provenance";

const ZCheckSchema = z.object({
  hash: z.boolean(),
  chainLink: z.boolean(),
  anchored: z
    .object({
      batch: z.number(),
      txHash: z.string().nullable(),
      blockNumber: z.string().nullable(),
      confirmations: z.number().nullable(),
    })
    .nullable(),
  onChain: z.boolean().nullable(),
});

/** Regulators: an organ's provenance, consent to outcome, every step verified now against the chain. */
export const organTimeline = roleProcedure("REGULATOR", "ADMIN")
  .input(z.object({ organId: z.uuid("organId must be an organ id") }))
  .output(
    z.object({
      organ: z.object({
        id: z.string(),
        din: z.string(),
        type: z.string(),
        status: z.string(),
        donorCaseCode: z.string(),
      }),
      subjects: z.array(z.object({ subjectType: z.string(), subjectId: z.string() })),
      steps: z.array(
        z.object({
          eventId: z.string(),
          stage: z.enum(["consent", "donor-case", "match-run", "offer", "custody", "outcome", "other"]),
          type: z.string(),
          title: z.string(),
          at: z.date(),
          actorRole: z.string().nullable(),
          subject: z.string(),
          sequence: z.number(),
          checks: ZCheckSchema,
          findings: z.array(z.string()),
        }),
      ),
      findings: z.array(
        z.object({
          check: z.string(),
          eventId: z.string().optional(),
          subject: z.string().optional(),
          batch: z.number().optional(),
          message: z.string(),
        }),
      ),
      verified: z.boolean(),
      chainChecked: z.boolean(),
    }),
  )
  .query(({ input }) => {
    let registry = null;
    try {
      registry = chainClient().registry;
    } catch {
      registry = null;
    }
    return getOrganProvenance({ organId: input.organId, registry });
  });

import "server-only";

import { z } from "zod";
import { roleProcedure } from "@/server/api/trpc";
import { optionalRegistry } from "@/server/chain/client";
import { ZStepSignatureSchema } from "@/server/passkey/signature-views";
import { getOrganProvenance } from "@/server/regulator/organ-provenance";

const ZCheckSchema = z.object({
  hash: z.boolean(),
  chainLink: z.boolean(),
  portalSignature: z.boolean(),
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
          /** Who acted, by name, and for which organisation (staff records; null for the portal itself). */
          actorName: z.string().nullable(),
          actorOrgName: z.string().nullable(),
          /** What the step recorded, in words (temperature, place, reason…). */
          facts: z.array(z.object({ label: z.string(), value: z.string() })),
          /** The custody policy's excursions this step recorded (temperature out of range, …). */
          excursions: z.array(z.string()),
          subject: z.string(),
          sequence: z.number(),
          checks: ZCheckSchema,
          findings: z.array(z.string()),
          signature: ZStepSignatureSchema.nullable(),
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
      excursionCount: z.number(),
      chainChecked: z.boolean(),
      chainReadAt: z.date().nullable(),
    }),
  )
  .query(({ input }) => {
    const registry = optionalRegistry();
    return getOrganProvenance({ organId: input.organId, registry });
  });

import { z } from "zod";
import { compare } from "../engine/attribute-values";
import { ZOrganTypeSchema } from "../organ-type";
import { ESP_AGE } from "./eurotransplant-tables";
import { ZDonorConditionSchema } from "./policy-schema";

/**
 * A programme: the policy a donor is allocated under, chosen by donor facts (Eurotransplant: ETKAS
 * for donors under 65, ESP for 65 and over). The first entry whose conditions hold is chosen; the
 * match run records the chosen policy's id and version, so a replay needs no programme.
 */
export const ZAllocationProgrammeSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  organ: ZOrganTypeSchema,
  label: z.string().min(1),
  choose: z
    .array(
      z.object({
        donorWhen: z.array(ZDonorConditionSchema),
        policy: z.object({ id: z.string().min(1), version: z.number().int().positive() }),
      }),
    )
    .min(1),
});
export type TAllocationProgramme = z.infer<typeof ZAllocationProgrammeSchema>;

export const EUROTRANSPLANT_KIDNEY_V1: TAllocationProgramme = {
  id: "eurotransplant-kidney",
  version: 1,
  organ: "KIDNEY",
  label: "Eurotransplant kidney (ETKAS under 65, ESP from 65)",
  choose: [
    {
      donorWhen: [{ field: "ageYears", op: "lt", value: ESP_AGE }],
      policy: { id: "eurotransplant-etkas", version: 1 },
    },
    {
      donorWhen: [{ field: "ageYears", op: "gte", value: ESP_AGE }],
      policy: { id: "eurotransplant-esp", version: 1 },
    },
  ],
};

/** The policy (id and version) a programme allocates this donor under, or null when none applies. */
export function programmePolicyFor(
  programme: TAllocationProgramme,
  donor: { ageYears: number; kdpi: number },
): { id: string; version: number } | null {
  const hit = programme.choose.find((c) =>
    c.donorWhen.every((d) => compare(d.field === "kdpi" ? donor.kdpi : donor.ageYears, d.op, d.value)),
  );
  return hit ? hit.policy : null;
}

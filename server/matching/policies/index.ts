import { ETKAS_KIDNEY_V1 } from "./etkas-kidney";
import { EUROTRANSPLANT_ESP_V1 } from "./eurotransplant-esp";
import { EUROTRANSPLANT_ETKAS_V1 } from "./eurotransplant-etkas";
import { type TAllocationPolicy, ZAllocationPolicySchema } from "./policy-schema";
import {
  EUROTRANSPLANT_KIDNEY_V1,
  programmePolicyFor,
  type TAllocationProgramme,
  ZAllocationProgrammeSchema,
} from "./programmes";
import { US_HEART_V1 } from "./us-heart";
import { US_KIDNEY_CD_V1 } from "./us-kidney-cd";
import { US_LIVER_ACUITY_V1 } from "./us-liver-acuity";
import { US_LUNG_CAS_V1 } from "./us-lung-cas";

/** Every shipped policy version, validated at load. A match run names one by id and version. */
export const ALLOCATION_POLICIES: readonly TAllocationPolicy[] = [
  US_KIDNEY_CD_V1,
  US_LIVER_ACUITY_V1,
  US_HEART_V1,
  US_LUNG_CAS_V1,
  ETKAS_KIDNEY_V1,
  EUROTRANSPLANT_ETKAS_V1,
  EUROTRANSPLANT_ESP_V1,
].map((p) => ZAllocationPolicySchema.parse(p));

/** Programmes: a policy chosen by donor facts (Eurotransplant: ETKAS or ESP by donor age). */
export const ALLOCATION_PROGRAMMES: readonly TAllocationProgramme[] = [EUROTRANSPLANT_KIDNEY_V1].map((p) =>
  ZAllocationProgrammeSchema.parse(p),
);

/** The policy with this id and version (latest version when omitted), or null. */
export function findAllocationPolicy(id: string, version?: number): TAllocationPolicy | null {
  const matches = ALLOCATION_POLICIES.filter(
    (p) => p.id === id && (version === undefined || p.version === version),
  );
  return matches.reduce<TAllocationPolicy | null>(
    (best, p) => (best && best.version > p.version ? best : p),
    null,
  );
}

/**
 * The policy a match run uses for `id`: the policy itself, or, when `id` names a programme (latest
 * version), the policy the programme chooses for this donor. Null when neither applies.
 */
export function choosePolicy(
  id: string,
  donor: { ageYears: number; kdpi: number },
): TAllocationPolicy | null {
  const programme = ALLOCATION_PROGRAMMES.filter((p) => p.id === id).reduce<TAllocationProgramme | null>(
    (best, p) => (best && best.version > p.version ? best : p),
    null,
  );
  if (!programme) return findAllocationPolicy(id);
  const chosen = programmePolicyFor(programme, donor);
  return chosen ? findAllocationPolicy(chosen.id, chosen.version) : null;
}

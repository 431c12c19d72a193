import { ETKAS_KIDNEY_V1 } from "./etkas-kidney";
import { type TAllocationPolicy, ZAllocationPolicySchema } from "./policy-schema";
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
].map((p) => ZAllocationPolicySchema.parse(p));

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

import type { TAllocationPolicyInput } from "./policy-schema";

/** US-style lung composite allocation score (continuous distribution, no tiers). Illustrative weights. */
export const US_LUNG_CAS_V1: TAllocationPolicyInput = {
  id: "us-lung-cas",
  version: 1,
  organ: "LUNG",
  label: "US-style lung (composite allocation score)",
  notes:
    "No hard tiers: urgency (lung score), biology (cPRA), access (paediatric, prior living donor, waiting time) and placement efficiency (distance to 1000 nm). Donor-to-candidate height ratio 0.9–1.1. Identical ABO first.",
  filters: {
    abo: {
      identicalOnlyDonorGroups: [],
      identicalOnlyExceptions: { zeroMismatch: false, minCpra: null },
      a2ToB: false,
      identicalFirst: true,
      incompatible: { urgent: false, paediatricMaxAgeYears: null },
    },
    virtualCrossmatch: true,
    size: { weightRatio: null, heightRatio: { min: 0.9, max: 1.1 } },
    maxDistanceNm: null,
    requiredAttributes: ["lungUrgency"],
  },
  tiers: [],
  weights: {
    lungUrgency: { weight: 35, min: 0, max: 100, group: "urgency" },
    cpra: { weight: 10, min: 0, max: 100, group: "biology" },
    paediatric: { weight: 10, min: 0, max: 1, group: "access" },
    priorLivingDonor: { weight: 5, min: 0, max: 1, group: "access" },
    waitingYears: { weight: 10, min: 0, max: 5, group: "access" },
    distanceNm: { weight: 30, min: 0, max: 1000, invert: true, group: "placement" },
  },
  offerMode: "sequential",
  responseMinutes: 60,
};

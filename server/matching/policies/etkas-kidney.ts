import type { TAllocationPolicyInput } from "./policy-schema";

/**
 * Eurotransplant ETKAS-style kidney points: HLA 400 − 66.67 × mismatches, 33.33 points per year on
 * dialysis, mismatch probability up to 100, local 300, national 100, paediatric +100, high urgency +500.
 */
export const ETKAS_KIDNEY_V1: TAllocationPolicyInput = {
  id: "etkas-kidney",
  version: 1,
  organ: "KIDNEY",
  label: "Eurotransplant ETKAS-style kidney points",
  notes:
    "Points only, no tiers. Mismatch probability is the candidate's recorded value (cPRA when none). 'Local' is the donor's region, 'national' another region of the donor's country. Dialysis points are linear to 30 years. ABO identical for O and B donors, except zero-mismatch.",
  filters: {
    abo: {
      identicalOnlyDonorGroups: ["O", "B"],
      identicalOnlyExceptions: { zeroMismatch: true, minCpra: null },
      a2ToB: false,
      identicalFirst: false,
      incompatible: { urgent: false, paediatricMaxAgeYears: null },
    },
    virtualCrossmatch: true,
    size: { weightRatio: null, heightRatio: null },
    maxDistanceNm: null,
    requiredAttributes: [],
  },
  tiers: [],
  weights: {
    hlaMismatches: { weight: 400, min: 0, max: 6, invert: true, group: "biology" },
    dialysisYears: { weight: 999.9, min: 0, max: 30, group: "access" },
    mismatchProbability: { weight: 100, min: 0, max: 100, group: "biology" },
    isLocal: { weight: 300, min: 0, max: 1, group: "placement" },
    isNational: { weight: 100, min: 0, max: 1, group: "placement" },
    paediatric: { weight: 100, min: 0, max: 1, group: "access" },
    highUrgency: { weight: 500, min: 0, max: 1, group: "urgency" },
  },
  offerMode: "sequential",
  responseMinutes: 60,
};

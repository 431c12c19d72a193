import type { TAllocationPolicyInput } from "./policy-schema";

/** US-style kidney, continuous distribution. Weights are illustrative, not OPTN's. */
export const US_KIDNEY_CD_V1: TAllocationPolicyInput = {
  id: "us-kidney-cd",
  version: 1,
  organ: "KIDNEY",
  label: "US-style kidney (continuous distribution)",
  notes:
    "Zero-ABDR-mismatch tier first; for KDPI ≤ 20 donors, candidates in the top 20 % by EPTS next; then a composite score. O and B kidneys to identical groups except zero-mismatch or cPRA ≥ 99; A2/A2B to B with eligible titres. 250 nm scale for placement efficiency.",
  filters: {
    abo: {
      identicalOnlyDonorGroups: ["O", "B"],
      identicalOnlyExceptions: { zeroMismatch: true, minCpra: 99 },
      a2ToB: true,
      identicalFirst: false,
      incompatible: { urgent: false, paediatricMaxAgeYears: null },
    },
    virtualCrossmatch: true,
    size: { weightRatio: null, heightRatio: null },
    maxDistanceNm: null,
    requiredAttributes: [],
  },
  tiers: [
    {
      id: "zero-mismatch",
      label: "Zero-antigen mismatch (A, B, DR)",
      when: [{ attribute: "zeroMismatch", op: "eq", value: 1 }],
    },
    {
      id: "kdpi20-epts20",
      label: "KDPI ≤ 20 % donor to top-20 % EPTS candidate",
      when: [{ attribute: "eptsPercent", op: "lte", value: 20 }],
      donorWhen: [{ field: "kdpi", op: "lte", value: 20 }],
    },
  ],
  weights: {
    cpra: { weight: 25, min: 0, max: 100, group: "biology" },
    dialysisYears: { weight: 25, min: 0, max: 10, group: "access" },
    paediatric: { weight: 15, min: 0, max: 1, group: "access" },
    priorLivingDonor: { weight: 10, min: 0, max: 1, group: "access" },
    eptsPercent: { weight: 5, min: 0, max: 100, invert: true, group: "survival" },
    hlaMismatches: { weight: 5, min: 0, max: 6, invert: true, group: "biology" },
    distanceNm: { weight: 15, min: 0, max: 250, invert: true, group: "placement" },
  },
  offerMode: "topN",
  topN: 3,
  responseMinutes: 60,
};

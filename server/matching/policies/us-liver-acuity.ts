import type { TAllocationPolicyInput } from "./policy-schema";

const circles = (id: string, label: string, meldAtLeast: number) =>
  [150, 250, 500].map((nm) => ({
    id: `${id}-${nm}`,
    label: `${label} within ${nm} nm`,
    when: [
      { attribute: "meld" as const, op: "gte" as const, value: meldAtLeast },
      { attribute: "distanceNm" as const, op: "lte" as const, value: nm },
    ],
  }));

/** US-style liver: MELD-driven acuity circles (150/250/500 nm). Simplified classification list. */
export const US_LIVER_ACUITY_V1: TAllocationPolicyInput = {
  id: "us-liver-acuity",
  version: 1,
  organ: "LIVER",
  label: "US-style liver (MELD 3.0, acuity circles)",
  notes:
    "Status 1A within 500 nm, then MELD ≥ 37, ≥ 33, ≥ 29, ≥ 15 each within 150, 250, 500 nm, then the rest. Identical ABO ahead of compatible within a tier; ABO-incompatible only for status 1A or infants under 2. Within a tier, a composite of MELD, waiting time, distance and paediatric age.",
  filters: {
    abo: {
      identicalOnlyDonorGroups: [],
      identicalOnlyExceptions: { zeroMismatch: false, minCpra: null },
      a2ToB: false,
      identicalFirst: true,
      incompatible: { urgent: true, paediatricMaxAgeYears: 2 },
    },
    virtualCrossmatch: false,
    size: { weightRatio: null, heightRatio: null },
    maxDistanceNm: null,
    requiredAttributes: ["meld"],
  },
  tiers: [
    {
      id: "status-1a-500",
      label: "Status 1A within 500 nm",
      when: [
        { attribute: "highUrgency", op: "eq", value: 1 },
        { attribute: "distanceNm", op: "lte", value: 500 },
      ],
    },
    ...circles("meld37", "MELD ≥ 37", 37),
    ...circles("meld33", "MELD ≥ 33", 33),
    ...circles("meld29", "MELD ≥ 29", 29),
    ...circles("meld15", "MELD ≥ 15", 15),
  ],
  weights: {
    meld: { weight: 60, min: 6, max: 40, group: "urgency" },
    waitingYears: { weight: 10, min: 0, max: 5, group: "access" },
    paediatric: { weight: 10, min: 0, max: 1, group: "access" },
    distanceNm: { weight: 20, min: 0, max: 500, invert: true, group: "placement" },
  },
  offerMode: "sequential",
  responseMinutes: 60,
};

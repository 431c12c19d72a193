import type { TAllocationPolicyInput } from "./policy-schema";

const status = (s: number, nm: number) => ({
  id: `status${s}-${nm}`,
  label: `Status ${s} within ${nm} nm`,
  when: [
    { attribute: "heartStatus" as const, op: "eq" as const, value: s },
    { attribute: "distanceNm" as const, op: "lte" as const, value: nm },
  ],
});

/** US-style heart (2018 six-status system), simplified. */
export const US_HEART_V1: TAllocationPolicyInput = {
  id: "us-heart",
  version: 1,
  organ: "HEART",
  label: "US-style heart (six statuses, distance tiers)",
  notes:
    "Statuses 1–3 within 500 nm, statuses 1–2 within 1000 nm, status 4 within 500 nm, then the rest. Donor-to-candidate weight ratio 0.8–1.5. Identical ABO first; ABO-incompatible for infants under 2.",
  filters: {
    abo: {
      identicalOnlyDonorGroups: [],
      identicalOnlyExceptions: { zeroMismatch: false, minCpra: null },
      a2ToB: false,
      identicalFirst: true,
      incompatible: { urgent: false, paediatricMaxAgeYears: 2 },
    },
    virtualCrossmatch: true,
    size: { weightRatio: { min: 0.8, max: 1.5 }, heightRatio: null },
    maxDistanceNm: null,
    requiredAttributes: ["heartStatus"],
  },
  tiers: [status(1, 500), status(2, 500), status(3, 500), status(1, 1000), status(2, 1000), status(4, 500)],
  weights: {
    heartStatus: { weight: 40, min: 1, max: 6, invert: true, group: "urgency" },
    waitingYears: { weight: 20, min: 0, max: 3, group: "access" },
    paediatric: { weight: 15, min: 0, max: 1, group: "access" },
    distanceNm: { weight: 25, min: 0, max: 1000, invert: true, group: "placement" },
  },
  offerMode: "sequential",
  responseMinutes: 60,
};

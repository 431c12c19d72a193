/** Reason codes a centre gives when it refuses an offer (shared by the API and the offer page). */
export const REFUSAL_REASONS = {
  DONOR_QUALITY: "Donor age or quality",
  DONOR_SIZE: "Donor size or weight",
  ORGAN_QUALITY: "Organ-specific reason (biopsy, anatomy)",
  CANDIDATE_UNAVAILABLE: "Candidate ill, unavailable or already transplanted",
  POSITIVE_CROSSMATCH: "Positive crossmatch",
  LOGISTICS: "Distance, transport or ischemia time",
  OTHER: "Other (see note)",
} as const;

/** Why staff look a person up; the code and the note go on the ledger (never the person's name). */
export const ACCESS_REASON_LABELS = {
  DONOR_REFERRAL: "Evaluating a referred potential donor",
  FAMILY_APPROACH: "Preparing to approach the family",
  CASE_REVIEW: "Reviewing an open donor case",
  REGULATORY_AUDIT: "Regulatory audit",
} as const;
export type TAccessReason = keyof typeof ACCESS_REASON_LABELS;

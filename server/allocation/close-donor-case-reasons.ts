/** Why an OPO closes a donor case (the code goes on the ledger; a note stays in the case record). */
export const CASE_CLOSE_REASONS = {
  ALL_ORGANS_PLACED: "Every organ placed or accounted for",
  NO_SUITABLE_RECIPIENT: "No suitable recipient found",
  MEDICALLY_UNSUITABLE: "Donor medically unsuitable",
  AUTHORISATION_WITHDRAWN: "Authorisation withdrawn",
  RECOVERY_NOT_PERFORMED: "Recovery did not take place",
  OTHER: "Other (say why in the note)",
} as const;
export type TCaseCloseReason = keyof typeof CASE_CLOSE_REASONS;

/** Why a centre erases a candidate's record (the code goes on the ledger; no free text). */
export const CANDIDATE_ERASURE_REASONS = {
  RECIPIENT_REQUEST: "The recipient asked for their record to be erased",
  RETENTION_ENDED: "The retention period has ended",
  RECORDED_IN_ERROR: "Listed in error",
  OTHER: "Other",
} as const;
export type TCandidateErasureReason = keyof typeof CANDIDATE_ERASURE_REASONS;
export const CANDIDATE_ERASURE_REASON_CODES = Object.keys(CANDIDATE_ERASURE_REASONS) as [
  TCandidateErasureReason,
  ...TCandidateErasureReason[],
];

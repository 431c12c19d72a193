/** Who signs decisions with a passkey: the people who make the decisions that are signed. */
export const SIGNERS = ["DONOR", "OPO_COORDINATOR", "CENTER_COORDINATOR", "COURIER"] as const;

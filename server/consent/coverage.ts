import type { TConsentDecision } from "./decision-schema";
import type { TOrgan, TPurpose } from "./organs";

export type TCoverage =
  | {
      covered: true;
      /** Free-text restrictions exist: a coordinator must read them before proceeding. */
      restricted: boolean;
    }
  | { covered: false; reason: "NO_DECISION" | "OBJECTION" | "ORGAN_NOT_INCLUDED" | "PURPOSE_NOT_INCLUDED" };

/**
 * Whether a decision in force authorises recovering `organ` for `purpose`. Pass `null` when there is
 * no decision in force (never registered, or revoked). Pure: matching calls it per organ.
 */
export function coverage(decision: TConsentDecision | null, organ: TOrgan, purpose: TPurpose): TCoverage {
  if (!decision) return { covered: false, reason: "NO_DECISION" };
  if (decision.decision === "OBJECTION") return { covered: false, reason: "OBJECTION" };
  if (decision.decision === "DONATE_SELECTED" && !decision.organs.includes(organ)) {
    return { covered: false, reason: "ORGAN_NOT_INCLUDED" };
  }
  if (!decision.purposes.includes(purpose)) return { covered: false, reason: "PURPOSE_NOT_INCLUDED" };
  return { covered: true, restricted: decision.restrictions !== undefined };
}

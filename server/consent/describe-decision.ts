import { ORGAN_CODES, PURPOSE_DISPLAY } from "@/server/fhir/codes";
import type { TConsentDecision } from "./decision-schema";
import type { TOrgan, TPurpose } from "./organs";

/** Plain-language lines describing a decision, the same on the receipt page and in the PDF. */
export function describeDecision(decision: {
  decision: TConsentDecision["decision"];
  organs: readonly string[];
  purposes: readonly string[];
  restrictions?: string;
}): string[] {
  if (decision.decision === "OBJECTION")
    return ["I do not want to donate any organs or tissues (objection)."];
  const organs =
    decision.decision === "DONATE_ALL"
      ? "all organs and tissues"
      : decision.organs.map((o) => ORGAN_CODES[o as TOrgan]?.display ?? o).join(", ");
  const purposes = decision.purposes.map((p) => PURPOSE_DISPLAY[p as TPurpose] ?? p).join(", ");
  return [
    `I agree to donate: ${organs}.`,
    `For: ${purposes}.`,
    ...(decision.restrictions ? [`Restrictions: ${decision.restrictions}`] : []),
  ];
}

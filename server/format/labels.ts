import { REFUSAL_REASONS } from "@/server/allocation/refusal-reasons";
import { ROLE_LABEL } from "@/server/auth/roles";

/**
 * Plain words for every code the portal shows. Pure and imported by client components too, so no
 * database or server-only import here. An unknown code still reads as words ("SOME_CODE" →
 * "Some code"), never as the raw code.
 */
export const ORGAN_TYPE_LABEL: Record<string, string> = {
  KIDNEY: "Kidney",
  LIVER: "Liver",
  HEART: "Heart",
  LUNG: "Lung",
  PANCREAS: "Pancreas",
  INTESTINE: "Intestine",
};

export const LATERALITY_LABEL: Record<string, string> = {
  LEFT: "left",
  RIGHT: "right",
  EN_BLOC: "en bloc",
};

/** Statuses of organs, offers, cases, candidates and custody phases (any case, _ or space). */
export const STATUS_LABEL: Record<string, string> = {
  AVAILABLE: "Available",
  OFFERING: "Being offered",
  ALLOCATED: "Allocated",
  IN_TRANSIT: "In transit",
  ARRIVED: "Arrived",
  TRANSPLANTED: "Transplanted",
  DISCARDED: "Discarded",
  PENDING: "Awaiting answer",
  ACCEPTED: "Accepted",
  REFUSED: "Refused",
  EXPIRED: "Expired (no answer in time)",
  WITHDRAWN: "Withdrawn",
  OPEN: "Open",
  CLOSED: "Closed",
  ACTIVE: "Active",
  INACTIVE: "Temporarily inactive",
  REMOVED: "Removed from the list",
  AWAITING_RECOVERY: "Awaiting recovery",
  CLAMPED: "Cross-clamped",
  RECOVERED: "Recovered",
  PACKAGED: "Packaged",
  HANDOFF_PENDING: "Hand-off awaiting receipt",
  RETURNED: "Returned for re-allocation",
};

export const CUSTODY_STEP_LABEL: Record<string, string> = {
  CROSS_CLAMP: "Cross-clamp",
  RECOVERED: "Recovery",
  PACKAGED: "Packaging and labelling",
  HANDOFF_OFFERED: "Hand-off",
  HANDOFF_ACCEPTED: "Receipt of hand-off",
  HANDOFF_DECLINED: "Hand-off declined",
  CHECKPOINT: "Checkpoint",
  ARRIVED: "Arrival",
  TRANSPLANTED: "Transplant (reperfusion)",
  DISCARDED: "Discard",
  RETURNED: "Return for re-allocation",
};

/** Score-breakdown attributes of the allocation engine ("why here"). */
export const SCORE_KEY_LABEL: Record<string, string> = {
  meld: "MELD score",
  heartStatus: "Heart status (1 most urgent)",
  lungUrgency: "Lung urgency",
  highUrgency: "High urgency",
  eptsPercent: "EPTS (expected survival, lower is longer)",
  cpra: "cPRA (sensitisation)",
  mismatchProbability: "Mismatch probability",
  aboIdentical: "Same blood group",
  hlaMismatches: "HLA mismatches (A, B, DR)",
  zeroMismatch: "Zero-antigen mismatch",
  waitingYears: "Years waiting",
  dialysisYears: "Years on dialysis",
  paediatric: "Paediatric candidate",
  priorLivingDonor: "Prior living donor",
  distanceNm: "Distance (nautical miles)",
  isLocal: "Local",
  isNational: "National",
};

export const PRESERVATION_LABEL: Record<string, string> = {
  STATIC_COLD: "Static cold storage",
  HYPOTHERMIC_MACHINE_PERFUSION: "Hypothermic machine perfusion",
  NORMOTHERMIC_MACHINE_PERFUSION: "Normothermic machine perfusion",
};

/** Words from a code nobody labelled yet: "in_transit" → "In transit". */
export function humanise(code: string): string {
  const words = code
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_.]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const norm = (code: string) =>
  code
    .trim()
    .toUpperCase()
    .replace(/[\s.-]+/g, "_");

export type TLabelKind =
  | "organType"
  | "status"
  | "custodyStep"
  | "refusalReason"
  | "role"
  | "scoreKey"
  | "preservation"
  | "laterality";

/** The words for `code` of `kind`; unknown codes are humanised, null/empty gives "—". */
export function label(kind: TLabelKind, code: string | null | undefined): string {
  if (code === null || code === undefined || code === "") return "—";
  switch (kind) {
    case "organType":
      return ORGAN_TYPE_LABEL[norm(code)] ?? humanise(code);
    case "status":
      return STATUS_LABEL[norm(code)] ?? humanise(code);
    case "custodyStep":
      return CUSTODY_STEP_LABEL[norm(code)] ?? humanise(code);
    case "refusalReason":
      return (REFUSAL_REASONS as Record<string, string>)[norm(code)] ?? humanise(code);
    case "role":
      return (ROLE_LABEL as Record<string, string>)[norm(code)] ?? humanise(code);
    case "scoreKey":
      return SCORE_KEY_LABEL[code] ?? humanise(code);
    case "preservation":
      return PRESERVATION_LABEL[norm(code)] ?? humanise(code);
    case "laterality":
      return LATERALITY_LABEL[norm(code)] ?? humanise(code).toLowerCase();
  }
}

/** "Kidney (left)", "Liver". */
export const organName = (type: string, laterality?: string | null) =>
  `${label("organType", type)}${laterality ? ` (${label("laterality", laterality)})` : ""}`;

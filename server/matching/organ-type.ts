import { z } from "zod";

/** Organ types a match run is made for; mirrors the `OrganType` enum of the database. */
export const ORGAN_TYPES = ["KIDNEY", "LIVER", "HEART", "LUNG", "PANCREAS", "INTESTINE"] as const;
export type TOrganType = (typeof ORGAN_TYPES)[number];
export const ZOrganTypeSchema = z.enum(ORGAN_TYPES, { error: `must be one of ${ORGAN_TYPES.join(", ")}` });

/** Consent forms name paired organs in the plural (KIDNEYS, LUNGS); allocation in the singular. */
const CONSENT_NAME: Record<string, TOrganType> = { KIDNEYS: "KIDNEY", LUNGS: "LUNG" };

/** Maps a consent organ name (either form) to the allocation organ type, or null if not an organ we allocate. */
export function organTypeOfConsentName(name: string): TOrganType | null {
  const upper = name.toUpperCase();
  if (CONSENT_NAME[upper]) return CONSENT_NAME[upper];
  return (ORGAN_TYPES as readonly string[]).includes(upper) ? (upper as TOrganType) : null;
}

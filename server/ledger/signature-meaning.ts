/**
 * What a person's signature on a decision means (21 CFR 11.50: the signed record shows the signer's
 * name, the time and the meaning). The meaning is derived from the signed event itself, never taken
 * from the signer or the portal, so the verifier recomputes it and a signature cannot be presented
 * as meaning something else.
 */
export const SIGNATURE_MEANINGS = {
  CONSENT_DECISION: "recorded consent decision",
  CONSENT_CHANGED: "changed consent decision",
  CONSENT_REVOKED: "revoked consent",
  FAMILY_AUTHORISED: "recorded family authorisation",
  OFFER_ACCEPTED: "accepted offer",
  OFFER_REFUSED: "refused offer",
  HANDOFF_OFFERED: "handed over",
  HANDOFF_ACCEPTED: "received custody",
  DISCARDED: "discarded organ",
} as const;

export type TSignatureMeaning = keyof typeof SIGNATURE_MEANINGS;
export const SIGNATURE_MEANING_CODES = Object.keys(SIGNATURE_MEANINGS) as [
  TSignatureMeaning,
  ...TSignatureMeaning[],
];

const field = (payload: unknown, key: string): unknown =>
  payload && typeof payload === "object" ? (payload as Record<string, unknown>)[key] : undefined;

/** The meaning of a person's signature on this event, or null when the event is not a signed decision. */
export function signatureMeaningOf(event: { type: string; payload: unknown }): TSignatureMeaning | null {
  const p = event.payload;
  switch (event.type) {
    case "consent.recorded":
      if (field(p, "kind") === "FAMILY_AUTHORISATION") return "FAMILY_AUTHORISED";
      return field(p, "version") === 1 ? "CONSENT_DECISION" : "CONSENT_CHANGED";
    case "consent.revoked":
      return "CONSENT_REVOKED";
    case "offer.answered":
      return field(p, "answer") === "ACCEPTED" ? "OFFER_ACCEPTED" : "OFFER_REFUSED";
    case "custody.recorded": {
      const kind = field(p, "kind");
      if (kind === "HANDOFF_OFFERED") return "HANDOFF_OFFERED";
      if (kind === "HANDOFF_ACCEPTED") return "HANDOFF_ACCEPTED";
      if (kind === "DISCARDED") return "DISCARDED";
      return null;
    }
    default:
      return null;
  }
}

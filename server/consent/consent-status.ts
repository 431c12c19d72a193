/** Where a consent version stands: only the latest, unrevoked version of a living record is in force. */
export type TConsentStatus = "IN_FORCE" | "SUPERSEDED" | "REVOKED" | "ERASED";

/**
 * The one rule for a stored version's status, used by receipts, case consent and the registrant's
 * history: erasure ends every version, then a revocation, then any later version.
 */
export function consentStatus(v: { erased: boolean; revoked: boolean; latest: boolean }): TConsentStatus {
  if (v.erased) return "ERASED";
  if (v.revoked) return "REVOKED";
  return v.latest ? "IN_FORCE" : "SUPERSEDED";
}

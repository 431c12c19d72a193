import "server-only";

import { env } from "@/server/env";

export const RP_NAME = "Transplant provenance portal";

/**
 * Where passkeys are valid: the portal's configured address (PORTAL_URL), else http://localhost on
 * its port. The origin and RP id are written into each enrolment event, so a signature is checked
 * later against the address it was enrolled for, even if the portal moves.
 */
export function relyingParty(): { rpId: string; origin: string; rpName: string } {
  const e = env();
  const url = new URL(e.PORTAL_URL ?? `http://localhost:${e.PORT}`);
  return { rpId: url.hostname, origin: url.origin, rpName: RP_NAME };
}

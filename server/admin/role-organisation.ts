import type { TRole } from "@/server/auth/roles";

type TOrganisationKind = "OPO" | "TRANSPLANT_CENTER" | "REGULATOR" | "COURIER_SERVICE" | "PLATFORM";

/** The kind of organisation each staff role works for (a courier belongs to a courier service, …). */
export const ROLE_ORGANISATION_KIND: Record<Exclude<TRole, "DONOR">, TOrganisationKind> = {
  OPO_COORDINATOR: "OPO",
  CENTER_COORDINATOR: "TRANSPLANT_CENTER",
  COURIER: "COURIER_SERVICE",
  REGULATOR: "REGULATOR",
  ADMIN: "PLATFORM",
};

/**
 * Whether a staff role may belong to an organisation of this kind. Permissions follow the
 * organisation (an OPO coordinator sees the OPO's cases), so a mismatch would hand out access.
 * Returns the message naming the rule, or null when they fit.
 */
export function roleOrganisationMismatch(
  role: Exclude<TRole, "DONOR">,
  kind: TOrganisationKind,
): string | null {
  const want = ROLE_ORGANISATION_KIND[role];
  return want === kind
    ? null
    : `organisationId: a ${role} must belong to an organisation of kind ${want}, not ${kind}`;
}

import { describe, expect, it } from "vitest";
import { roleOrganisationMismatch } from "./role-organisation";

describe("roleOrganisationMismatch", () => {
  it.each([
    { role: "OPO_COORDINATOR", kind: "OPO", ok: true },
    { role: "CENTER_COORDINATOR", kind: "TRANSPLANT_CENTER", ok: true },
    { role: "COURIER", kind: "COURIER_SERVICE", ok: true },
    { role: "REGULATOR", kind: "REGULATOR", ok: true },
    { role: "ADMIN", kind: "PLATFORM", ok: true },
    { role: "OPO_COORDINATOR", kind: "TRANSPLANT_CENTER", ok: false },
    { role: "COURIER", kind: "OPO", ok: false },
    { role: "REGULATOR", kind: "PLATFORM", ok: false },
  ] as const)("$role in $kind: $ok", ({ role, kind, ok }) => {
    const message = roleOrganisationMismatch(role, kind);
    if (ok) expect(message).toBeNull();
    else expect(message).toMatch(/^organisationId: a .* must belong to an organisation of kind/);
  });
});

import { describe, expect, it } from "vitest";
import { ROLE_HOME, ROLES } from "@/server/auth/roles";
import { activeNavHref, NAV_ITEMS } from "./nav-items";

describe("NAV_ITEMS", () => {
  it.each(ROLES.map((role) => ({ role })))("starts with the $role home page", ({ role }) => {
    expect(NAV_ITEMS[role][0]?.href).toBe(ROLE_HOME[role]);
  });

  it("offers the OPO the scan page and the donor no staff page", () => {
    expect(NAV_ITEMS.OPO_COORDINATOR.map((i) => i.href)).toContain("/organs/scan");
    expect(NAV_ITEMS.DONOR.map((i) => i.href).filter((h) => !["/donor", "/verify"].includes(h))).toEqual([]);
  });
});

describe("activeNavHref", () => {
  it.each([
    { desc: "home itself", path: "/opo", want: "/opo" },
    { desc: "deepest parent wins", path: "/opo/cases/123", want: "/opo/cases" },
    { desc: "prefix that is not a parent", path: "/opo/casesX", want: "/opo" },
    { desc: "page outside the menu", path: "/organs/abc", want: null },
  ])("$desc", ({ path, want }) => {
    expect(activeNavHref(NAV_ITEMS.OPO_COORDINATOR, path)).toBe(want);
  });
});

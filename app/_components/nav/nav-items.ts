import type { TRole } from "@/server/auth/roles";

/** Which lucide icon a menu entry shows (mapped to the component in portal-nav.tsx). */
export type TNavIcon =
  | "home"
  | "decision"
  | "verify"
  | "registry"
  | "cases"
  | "scan"
  | "offers"
  | "waitlist"
  | "organs"
  | "allocations"
  | "audit"
  | "access"
  | "reports"
  | "users";

export type TNavItem = { href: string; label: string; icon: TNavIcon };

const SCAN: TNavItem = { href: "/organs/scan", label: "Scan a label", icon: "scan" };

/**
 * The menu of each role: only pages that role may open (each page still checks the role itself;
 * this only decides what is offered). The first entry is the role's home.
 */
export const NAV_ITEMS: Record<TRole, readonly TNavItem[]> = {
  DONOR: [
    { href: "/donor", label: "My decision", icon: "decision" },
    { href: "/verify", label: "Verify a receipt", icon: "verify" },
  ],
  OPO_COORDINATOR: [
    { href: "/opo", label: "Organs in flight", icon: "home" },
    { href: "/opo/cases", label: "Donor cases", icon: "cases" },
    { href: "/opo/registry", label: "Donor registry", icon: "registry" },
    SCAN,
  ],
  CENTER_COORDINATOR: [
    { href: "/center", label: "Organs in flight", icon: "home" },
    { href: "/center/offers", label: "Offers", icon: "offers" },
    { href: "/center/waitlist", label: "Waiting list", icon: "waitlist" },
    SCAN,
  ],
  COURIER: [{ href: "/courier", label: "Organs in your care", icon: "home" }, SCAN],
  REGULATOR: [
    { href: "/regulator", label: "Overview", icon: "home" },
    { href: "/regulator/organs", label: "Organs", icon: "organs" },
    { href: "/regulator/allocations", label: "Allocations", icon: "allocations" },
    { href: "/regulator/audit", label: "Ledger audit", icon: "audit" },
    { href: "/regulator/access-log", label: "Access log", icon: "access" },
    { href: "/regulator/reports", label: "Reports", icon: "reports" },
  ],
  ADMIN: [
    { href: "/admin", label: "Users and organisations", icon: "users" },
    { href: "/regulator/organs", label: "Organs", icon: "organs" },
    { href: "/regulator/allocations", label: "Allocations", icon: "allocations" },
    { href: "/regulator/audit", label: "Ledger audit", icon: "audit" },
    { href: "/regulator/access-log", label: "Access log", icon: "access" },
    { href: "/regulator/reports", label: "Reports", icon: "reports" },
  ],
};

/**
 * The entry to mark as the current page: the longest href that is the path or a parent of it,
 * so /opo/cases/123 marks "Donor cases" and not the home entry.
 */
export function activeNavHref(items: readonly TNavItem[], pathname: string): string | null {
  let best: string | null = null;
  for (const item of items) {
    const matches = pathname === item.href || pathname.startsWith(`${item.href}/`);
    if (matches && (best === null || item.href.length > best.length)) best = item.href;
  }
  return best;
}

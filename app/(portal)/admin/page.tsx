import type { Metadata } from "next";
import { requireRole } from "../require-role";
import { RoleHome } from "../role-home";
import { AdminWorkspace } from "./admin-workspace";

export const metadata: Metadata = { title: "Administrator" };

export default async function AdministratorPage() {
  const user = await requireRole("ADMIN");
  return (
    <RoleHome
      user={user}
      duties={[
        "Manage organisations: procurement organisations, transplant centres, courier services, regulators.",
        "Manage staff accounts: create them, change their role, unlock a lock-out, deactivate one that should no longer sign in.",
        "Every change is a ledger event, anchored like the rest.",
      ]}
    >
      <AdminWorkspace />
    </RoleHome>
  );
}

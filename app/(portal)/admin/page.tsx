import type { Metadata } from "next";
import { requireRole } from "../require-role";
import { RoleHome } from "../role-home";
import { UserList } from "./user-list";

export const metadata: Metadata = { title: "Administrator" };

export default async function AdministratorPage() {
  const user = await requireRole("ADMIN");
  return (
    <RoleHome
      user={user}
      duties={[
        "Manage organisations: procurement organisations, transplant centres, regulators.",
        "Manage users and their roles.",
        "Watch the health of the database, the chain and the live channel.",
      ]}
    >
      <UserList />
    </RoleHome>
  );
}

import type { Metadata } from "next";
import { requireRole } from "../require-role";
import { RoleHome } from "../role-home";
import { CourierOrgans } from "./courier-organs";

export const metadata: Metadata = { title: "Courier" };

export default async function CourierPage() {
  const user = await requireRole("COURIER");
  return (
    <RoleHome
      user={user}
      duties={[
        "Take custody of a packaged organ by scanning its label.",
        "Record transit checkpoints: location, temperature, perfusion device.",
        "Hand the organ over to the next holder, who confirms receipt.",
      ]}
    >
      <CourierOrgans userId={user.id} organisationId={user.organisationId} />
    </RoleHome>
  );
}

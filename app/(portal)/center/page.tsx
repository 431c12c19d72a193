import type { Metadata } from "next";
import { OrgansDashboard } from "../dashboard/organs-dashboard";
import { requireRole } from "../require-role";
import { RoleHome } from "../role-home";

export const metadata: Metadata = { title: "Transplant-centre coordinator" };

export default async function CentreCoordinatorPage() {
  const user = await requireRole("CENTER_COORDINATOR");
  return (
    <RoleHome
      user={user}
      duties={[
        "Keep your centre's waiting list: candidates, typing, urgency, active status.",
        "Answer organ offers live, before their deadlines, with a reason for every refusal.",
        "Follow organs coming to your centre, record arrival and transplant.",
      ]}
    >
      <OrgansDashboard />
    </RoleHome>
  );
}

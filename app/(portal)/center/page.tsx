import type { Metadata } from "next";
import Link from "next/link";
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
      <ul className="flex flex-wrap gap-4">
        <li>
          <Link href="/center/offers" className="font-medium text-brand-700 underline">
            Organ offers (live)
          </Link>
        </li>
        <li>
          <Link href="/center/waitlist" className="font-medium text-brand-700 underline">
            Waiting list
          </Link>
        </li>
      </ul>
      <OrgansDashboard />
    </RoleHome>
  );
}

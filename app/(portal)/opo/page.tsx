import type { Metadata } from "next";
import Link from "next/link";
import { OrgansDashboard } from "../dashboard/organs-dashboard";
import { requireRole } from "../require-role";
import { RoleHome } from "../role-home";

export const metadata: Metadata = { title: "OPO coordinator" };

export default async function OpoCoordinatorPage() {
  const user = await requireRole("OPO_COORDINATOR");
  return (
    <RoleHome
      user={user}
      duties={[
        "Open a deceased-donor case from a hospital referral and check the registry for authorisation.",
        "Record donor data (ABO, HLA, serology, KDRI inputs) and run the match for each organ.",
        "Send offers in rank order against their deadlines.",
        "Record cross-clamp, recovery, packaging and labelling, and follow every organ in flight.",
      ]}
    >
      <ul className="flex flex-wrap gap-4">
        <li>
          <Link href="/opo/registry" className="font-medium text-brand-700 underline">
            Donor registry: look up a decision or record a family authorisation
          </Link>
        </li>
        <li>
          <Link href="/opo/cases" className="font-medium text-brand-700 underline">
            Donor cases: open a case, run the match, send offers
          </Link>
        </li>
      </ul>
      <OrgansDashboard />
    </RoleHome>
  );
}

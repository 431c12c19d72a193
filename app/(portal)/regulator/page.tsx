import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "../require-role";
import { RoleHome } from "../role-home";
import { RecentEvents } from "./recent-events";

export const metadata: Metadata = { title: "Regulator" };

export default async function RegulatorPage() {
  const user = await requireRole("REGULATOR");
  return (
    <RoleHome
      user={user}
      duties={[
        "Read every organ's provenance timeline, each step verified against the chain.",
        "Run a whole-ledger audit and download audit bundles for the offline verifier.",
        "Replay any match run and review allocations out of sequence.",
        "Review every staff access to personal data.",
      ]}
    >
      <nav aria-label="Regulator tools">
        <ul className="flex flex-wrap gap-4">
          <li>
            <Link href="/regulator/organs" className="font-medium text-brand-700 underline">
              Organ provenance timelines
            </Link>
          </li>
          <li>
            <Link href="/regulator/allocations" className="font-medium text-brand-700 underline">
              Allocation oversight and match-run replay
            </Link>
          </li>
          <li>
            <Link href="/regulator/audit" className="font-medium text-brand-700 underline">
              Whole-ledger audit
            </Link>
          </li>
          <li>
            <Link href="/regulator/access-log" className="font-medium text-brand-700 underline">
              Personal-data access log
            </Link>
          </li>
          <li>
            <Link href="/regulator/reports" className="font-medium text-brand-700 underline">
              Reports: ischemia, discards, offers, transit, consent
            </Link>
          </li>
        </ul>
      </nav>
      <RecentEvents />
    </RoleHome>
  );
}

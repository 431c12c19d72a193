import type { Metadata } from "next";
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
      <RecentEvents />
    </RoleHome>
  );
}

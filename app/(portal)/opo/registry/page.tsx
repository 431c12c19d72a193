import type { Metadata } from "next";
import { requireRole } from "../../require-role";
import { FamilyAuthorisationForm } from "./family-authorisation-form";
import { RegistrySearch } from "./registry-search";

export const metadata: Metadata = { title: "Donor registry" };

/** OPO coordinators: look up a referred person's decision (with a reason), or record a family authorisation. */
export default async function RegistryPage() {
  await requireRole("OPO_COORDINATOR");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">Donor registry</h1>
      <p className="text-slate-700">
        Every look-up is recorded on the ledger with your name, organisation and reason, and shown to the
        registrant and to regulators.
      </p>
      <RegistrySearch />
      <FamilyAuthorisationForm />
    </div>
  );
}

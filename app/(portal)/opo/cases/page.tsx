import type { Metadata } from "next";
import { requireRole } from "../../require-role";
import { DonorCaseList } from "./donor-case-list";
import { OpenCaseForm } from "./open-case-form";

export const metadata: Metadata = { title: "Donor cases" };

/** OPO coordinators: open a deceased-donor case from a referral, and the OPO's cases so far. */
export default async function DonorCasesPage() {
  await requireRole("OPO_COORDINATOR");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">Donor cases</h1>
      <p className="text-slate-700">
        A case rests on the person's registry decision or a family authorisation (its receipt code): only
        organs it covers for transplantation can be recovered and offered.
      </p>
      <OpenCaseForm />
      <DonorCaseList />
    </div>
  );
}

import type { Metadata } from "next";
import { requireRole } from "../../require-role";
import { AddCandidateForm } from "./add-candidate-form";
import { WaitingList } from "./waiting-list";

export const metadata: Metadata = { title: "Waiting list" };

/** Centre coordinators: the centre's own waiting list (other centres never see it). */
export default async function WaitingListPage() {
  await requireRole("CENTER_COORDINATOR");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">Waiting list</h1>
      <WaitingList />
      <AddCandidateForm />
    </div>
  );
}

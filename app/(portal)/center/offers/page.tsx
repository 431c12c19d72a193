import type { Metadata } from "next";
import { requireRole } from "../../require-role";
import { CentreOffers } from "./centre-offers";

export const metadata: Metadata = { title: "Organ offers" };

/** Centre coordinators: offers to the centre, live, with their deadlines; accept or refuse. */
export default async function CentreOffersPage() {
  await requireRole("CENTER_COORDINATOR");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">Organ offers</h1>
      <p className="text-slate-700">
        New offers appear here without reloading. An offer not answered by its deadline expires and goes to
        the next candidate.
      </p>
      <CentreOffers />
    </div>
  );
}

import type { Metadata } from "next";
import { requireRole } from "../../require-role";
import { ScanLabel } from "./scan-label";

export const metadata: Metadata = { title: "Scan an organ label" };

export default async function ScanPage() {
  const user = await requireRole("OPO_COORDINATOR", "CENTER_COORDINATOR", "COURIER");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">Scan an organ label</h1>
      <ScanLabel role={user.role} />
    </div>
  );
}

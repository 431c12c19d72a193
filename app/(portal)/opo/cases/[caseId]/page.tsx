import type { Metadata } from "next";
import { requireRole } from "../../../require-role";
import { CaseDetail } from "./case-detail";

export const metadata: Metadata = { title: "Donor case" };

export default async function DonorCasePage({ params }: { params: Promise<{ caseId: string }> }) {
  await requireRole("OPO_COORDINATOR");
  const { caseId } = await params;
  return <CaseDetail caseId={caseId} />;
}

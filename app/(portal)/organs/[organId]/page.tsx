import type { Metadata } from "next";
import { requireRole } from "../../require-role";
import { OrganTimeline } from "./organ-timeline";

export const metadata: Metadata = { title: "Organ journey" };

export default async function OrganPage({ params }: { params: Promise<{ organId: string }> }) {
  const user = await requireRole("OPO_COORDINATOR", "CENTER_COORDINATOR", "COURIER", "REGULATOR", "ADMIN");
  const { organId } = await params;
  return <OrganTimeline organId={organId} role={user.role} />;
}

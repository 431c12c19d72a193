import "server-only";

import { prisma } from "@/server/db";

/** Every organ, newest first, for a regulator to pick one to audit. */
export async function listOrgansForAudit({ limit = 200 }: { limit?: number } = {}) {
  const organs = await prisma.organ.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      din: true,
      type: true,
      laterality: true,
      status: true,
      createdAt: true,
      donorCase: { select: { code: true } },
      _count: { select: { custodyEvents: true } },
    },
  });
  return organs.map((o) => ({
    id: o.id,
    din: o.din,
    type: o.type,
    laterality: o.laterality,
    status: o.status,
    createdAt: o.createdAt,
    donorCaseCode: o.donorCase.code,
    custodySteps: o._count.custodyEvents,
  }));
}

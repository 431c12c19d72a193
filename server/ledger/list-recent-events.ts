import "server-only";

import { prisma } from "@/server/db";

export type TRecentEvent = {
  id: string;
  type: string;
  subjectType: string;
  subjectId: string;
  sequence: number;
  serverTime: Date;
  actorRole: string | null;
  anchor: { batch: number; status: string } | null;
};

/** The newest ledger events with their anchoring state, for the regulator's overview. */
export async function listRecentEvents(opts: { limit: number; type?: string }): Promise<TRecentEvent[]> {
  const rows = await prisma.ledgerEvent.findMany({
    where: opts.type ? { type: opts.type } : {},
    orderBy: { position: "desc" },
    take: opts.limit,
    select: {
      id: true,
      type: true,
      subjectType: true,
      subjectId: true,
      sequence: true,
      serverTime: true,
      actorRole: true,
      anchorLeaf: { select: { batchId: true, batch: { select: { status: true } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    sequence: r.sequence,
    serverTime: r.serverTime,
    actorRole: r.actorRole,
    anchor: r.anchorLeaf ? { batch: r.anchorLeaf.batchId, status: r.anchorLeaf.batch.status } : null,
  }));
}

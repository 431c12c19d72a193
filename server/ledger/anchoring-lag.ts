import "server-only";

import type { PrismaClient } from "@/server/generated/prisma/client";

export type TAnchoringLag = {
  /** Recorded time of the oldest event not yet in a confirmed batch; null when every event is. */
  oldestUnanchoredAt: Date | null;
  /** Its age now, in milliseconds (0 when nothing waits). */
  lagMs: number;
};

/**
 * How far anchoring is behind: the age of the oldest event not yet in a CONFIRMED batch (still
 * unbatched, or in a batch sent but short of its confirmations). Two index reads, whatever the
 * ledger's size: the oldest leaf of the oldest unconfirmed batch, and the oldest event after the
 * last batched one (batches take events in position order).
 */
export async function anchoringLag(db: PrismaClient, now: Date = new Date()): Promise<TAnchoringLag> {
  const [row] = await db.$queryRaw<Array<{ inBatch: Date | null; unbatched: Date | null }>>`
    SELECT
      (SELECT min(e."serverTime") FROM "AnchorLeaf" l JOIN "LedgerEvent" e ON e.id = l."eventId"
        WHERE l."batchId" = (SELECT min(id) FROM "AnchorBatch" WHERE status <> 'CONFIRMED')) AS "inBatch",
      (SELECT min(e."serverTime") FROM "LedgerEvent" e
        WHERE e.position > coalesce((
          SELECT max(e2.position) FROM "AnchorLeaf" l2 JOIN "LedgerEvent" e2 ON e2.id = l2."eventId"
          WHERE l2."batchId" = (SELECT max(id) FROM "AnchorBatch")), 0)
          AND NOT EXISTS (SELECT 1 FROM "AnchorLeaf" l3 WHERE l3."eventId" = e.id)) AS unbatched`;
  const times = [row?.inBatch, row?.unbatched].filter((t): t is Date => t instanceof Date);
  if (times.length === 0) return { oldestUnanchoredAt: null, lagMs: 0 };
  const oldest = new Date(Math.min(...times.map((t) => t.getTime())));
  return { oldestUnanchoredAt: oldest, lagMs: Math.max(0, now.getTime() - oldest.getTime()) };
}

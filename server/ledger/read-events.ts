import { prisma } from "@/server/db";
import type { Prisma, PrismaClient } from "@/server/generated/prisma/client";
import { buildTree } from "./merkle";
import type { TBundleBatch, TBundleEvent } from "./verify-events";

/** A `LedgerEvent` row as stored (Prisma or raw SQL), before it becomes a bundle event. */
export type TLedgerEventRow = {
  id: string;
  subjectType: string;
  subjectId: string;
  sequence: number;
  type: string;
  schemaVersion: number;
  actorUserId: string | null;
  actorRole: string | null;
  actorOrgId: string | null;
  serverTime: Date;
  reportedTime: Date | null;
  payload: unknown;
  salt: string;
  prevHash: string | null;
  hash: string;
};
type TRow = TLedgerEventRow & { anchorLeaf: { batchId: number; leafIndex: number } | null };

/** The hashed form of a stored event (ISO times, actor object), with its anchor. */
export function bundleEventOf(r: TLedgerEventRow, anchor: TBundleEvent["anchor"] = null): TBundleEvent {
  return {
    id: r.id,
    salt: r.salt,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    sequence: r.sequence,
    type: r.type,
    schemaVersion: r.schemaVersion,
    actor: { userId: r.actorUserId, role: r.actorRole, orgId: r.actorOrgId },
    serverTime: r.serverTime.toISOString(),
    reportedTime: r.reportedTime ? r.reportedTime.toISOString() : null,
    payload: r.payload,
    prevHash: r.prevHash,
    hash: r.hash,
    anchor,
  };
}

const SELECT = {
  id: true,
  subjectType: true,
  subjectId: true,
  sequence: true,
  type: true,
  schemaVersion: true,
  actorUserId: true,
  actorRole: true,
  actorOrgId: true,
  serverTime: true,
  reportedTime: true,
  payload: true,
  salt: true,
  prevHash: true,
  hash: true,
  anchorLeaf: { select: { batchId: true, leafIndex: true } },
} as const;

/**
 * Reads events with their inclusion proofs, in the shape the verifier checks. Each batch's tree is
 * rebuilt once from its leaves (in leaf order), however many of its events are requested.
 */
export async function readEventsWithProofs(
  where: Prisma.LedgerEventWhereInput,
  db: PrismaClient = prisma,
): Promise<{ events: TBundleEvent[]; batches: TBundleBatch[] }> {
  const rows = (await db.ledgerEvent.findMany({
    where,
    select: SELECT,
    orderBy: { position: "asc" },
  })) as TRow[];
  const batchIds = [...new Set(rows.flatMap((r) => (r.anchorLeaf ? [r.anchorLeaf.batchId] : [])))];
  const batches = await db.anchorBatch.findMany({
    where: { id: { in: batchIds } },
    orderBy: { id: "asc" },
  });
  const trees = new Map<number, { tree: ReturnType<typeof buildTree>; position: Map<number, number> }>();
  for (const b of batches) {
    const leaves = await db.anchorLeaf.findMany({
      where: { batchId: b.id },
      orderBy: { leafIndex: "asc" },
      select: { leafIndex: true, event: { select: { hash: true } } },
    });
    // Rebuilt from what the database holds now: if a leaf was removed, the root no longer matches
    // the chain and every proof of that batch fails, as it should.
    trees.set(b.id, {
      tree: buildTree(leaves.map((l) => l.event.hash)),
      position: new Map(leaves.map((l, i) => [l.leafIndex, i])),
    });
  }
  const proofOf = (batchId: number, leafIndex: number): string[] => {
    const t = trees.get(batchId);
    const at = t?.position.get(leafIndex);
    return t && at !== undefined ? t.tree.getProof(at) : [];
  };
  const events: TBundleEvent[] = rows.map((r) =>
    bundleEventOf(
      r,
      r.anchorLeaf
        ? {
            batch: r.anchorLeaf.batchId,
            leafIndex: r.anchorLeaf.leafIndex,
            proof: proofOf(r.anchorLeaf.batchId, r.anchorLeaf.leafIndex),
          }
        : null,
    ),
  );
  return {
    events,
    batches: batches.map((b) => ({
      index: b.id,
      root: b.root,
      previousRoot: b.previousRoot,
      eventCount: b.eventCount,
      txHash: b.txHash,
    })),
  };
}

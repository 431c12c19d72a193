import "server-only";

import { prisma, sqlOf, type TSql, type Tx } from "@/server/db";
import type { Prisma, PrismaClient } from "@/server/generated/prisma/client";
import { cachedBatchTree, rememberBatchTree } from "./batch-tree-cache";
import { headCommitment } from "./hash";
import { packedTree, type TPackedTree } from "./merkle";
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
  signature: string | null;
  signedBy: string | null;
};
/** A `LedgerEvent` row's columns in direct SQL (the table as `e`), named as `TLedgerEventRow`. */
export const EVENT_COLUMNS_SQL = `e.id::text AS id, e."subjectType", e."subjectId", e.sequence, e.type, e."schemaVersion",
         e."actorUserId", e."actorRole", e."actorOrgId", e."serverTime", e."reportedTime", e.payload,
         e.salt, e."prevHash", e.hash, e.signature, e."signedBy"`;

/** An event row with the leaf it went into, if anchored. */
export type TAnchoredEventRow = TLedgerEventRow & {
  anchorLeaf: { batchId: number; leafIndex: number; hash: string | null } | null;
};
/** The columns of an `AnchorBatch` row a bundle carries. */
export type TAnchorBatchRow = {
  id: number;
  root: string;
  previousRoot: string;
  eventCount: number;
  txHash: string | null;
  status: "PENDING" | "SENT" | "CONFIRMED";
  leafFormat: number;
};
type THeadRow = {
  batchId: number;
  leafIndex: number;
  subjectType: string;
  subjectId: string;
  sequence: number;
  hash: string;
};

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
    signature: r.signature,
    signedBy: r.signedBy,
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
  signature: true,
  signedBy: true,
  anchorLeaf: { select: { batchId: true, leafIndex: true, hash: true } },
} as const;

/** Which subjects' batch heads a read includes: none, these subjects', or every head. */
export type THeadScope = "none" | "all" | Array<{ subjectType: string; subjectId: string }>;

type TBatchTree = { tree: TPackedTree; position: Map<number, number> | null };

/**
 * Each batch's tree as recorded: the hashes it committed to for its events (kept in AnchorLeaf;
 * for leaf format 1 the events' own hashes) in leaf order, then its head leaves. Rebuilt from what
 * the database holds now: a removed leaf changes the root, so every proof of that batch fails
 * against the chain, as it should.
 */
async function batchTrees(
  sql: TSql,
  batches: Array<{ id: number; root: string; leafFormat: number }>,
): Promise<Map<number, TBatchTree>> {
  const trees = new Map<number, TBatchTree>();
  const missing: number[] = [];
  for (const b of batches) {
    const cached = cachedBatchTree(b.id, b.root);
    if (cached) trees.set(b.id, { tree: cached, position: null });
    else missing.push(b.id);
  }
  if (missing.length === 0) return trees;
  // The batches not cached yet, all in one query each for leaves and heads.
  const [leafRows, headRows] = await Promise.all([
    sql.query<{ batchId: number; leafIndex: number; hash: string | null }>(
      `SELECT l."batchId", l."leafIndex", coalesce(l.hash, e.hash) AS hash
         FROM "AnchorLeaf" l LEFT JOIN "LedgerEvent" e ON e.id = l."eventId"
        WHERE l."batchId" = ANY($1::int[]) ORDER BY l."batchId", l."leafIndex"`,
      [missing],
    ),
    sql.query<THeadRow>(
      `SELECT "batchId", "leafIndex", "subjectType", "subjectId", sequence, hash
         FROM "AnchorHead" WHERE "batchId" = ANY($1::int[]) ORDER BY "batchId", "leafIndex"`,
      [missing],
    ),
  ]);
  const leavesOf = groupBy(
    leafRows.filter((l) => l.hash !== null),
    (l) => l.batchId,
  );
  const headsOf = groupBy(headRows, (h) => h.batchId);
  for (const b of batches) {
    if (trees.has(b.id)) continue;
    const leaves = leavesOf.get(b.id) ?? [];
    const heads = b.leafFormat >= 2 ? (headsOf.get(b.id) ?? []) : [];
    if (leaves.length + heads.length === 0) continue;
    const tree = packedTree([...leaves.map((l) => l.hash as string), ...heads.map((h) => headCommitment(h))]);
    const contiguous =
      leaves.every((l, i) => l.leafIndex === i) && heads.every((h, i) => h.leafIndex === leaves.length + i);
    const position = contiguous
      ? null
      : new Map([
          ...leaves.map((l, i) => [l.leafIndex, i] as const),
          ...heads.map((h, i) => [h.leafIndex, leaves.length + i] as const),
        ]);
    trees.set(b.id, { tree, position });
    // Only a tree of every leaf, whose root is the recorded one, is kept for the next read.
    if (contiguous) rememberBatchTree(b.id, b.root, tree);
  }
  return trees;
}

function groupBy<T>(rows: T[], key: (r: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(key(r));
    if (list) list.push(r);
    else out.set(key(r), [r]);
  }
  return out;
}

/**
 * Reads events with their inclusion proofs, in the shape the verifier checks, and the heads of
 * `heads` subjects with theirs. Each batch's tree is rebuilt once from its recorded leaves (in leaf
 * order), however many of its events are requested.
 */
export async function readEventsWithProofs(
  where: Prisma.LedgerEventWhereInput,
  db: PrismaClient | Tx = prisma,
  opts: { heads?: THeadScope } = {},
): Promise<{ events: TBundleEvent[]; batches: TBundleBatch[] }> {
  const rows = (await db.ledgerEvent.findMany({
    where,
    select: SELECT,
    orderBy: { position: "asc" },
  })) as TAnchoredEventRow[];
  const headScope = opts.heads ?? "none";
  const scopedHeads =
    headScope === "none" || (Array.isArray(headScope) && headScope.length === 0)
      ? []
      : await db.anchorHead.findMany({
          where:
            headScope === "all"
              ? {}
              : { OR: headScope.map((s) => ({ subjectType: s.subjectType, subjectId: s.subjectId })) },
          orderBy: [{ batchId: "asc" }, { leafIndex: "asc" }],
        });
  const batchIds = [
    ...new Set([
      ...rows.flatMap((r) => (r.anchorLeaf ? [r.anchorLeaf.batchId] : [])),
      ...scopedHeads.map((h) => h.batchId),
    ]),
  ];
  const batches = await db.anchorBatch.findMany({
    where: { id: { in: batchIds } },
    orderBy: { id: "asc" },
  });
  return withProofs(sqlOf(db), rows, batches, scopedHeads);
}

/**
 * Events and batches as read (batches by id, heads in batch and leaf order) in the shape the
 * verifier checks, each with its inclusion proof: the part of a read after its statements, shared
 * by `readEventsWithProofs` and readers that fetch the same rows in SQL of their own.
 */
export async function withProofs(
  sql: TSql,
  rows: TAnchoredEventRow[],
  batches: TAnchorBatchRow[],
  scopedHeads: THeadRow[] = [],
): Promise<{ events: TBundleEvent[]; batches: TBundleBatch[] }> {
  const trees = await batchTrees(sql, batches);
  const proofOf = (batchId: number, leafIndex: number): string[] => {
    const t = trees.get(batchId);
    if (!t) return [];
    const at = t.position ? t.position.get(leafIndex) : leafIndex;
    return at !== undefined && at < t.tree.size ? t.tree.proof(at) : [];
  };
  const events: TBundleEvent[] = rows.map((r) =>
    bundleEventOf(
      r,
      r.anchorLeaf
        ? {
            batch: r.anchorLeaf.batchId,
            leafIndex: r.anchorLeaf.leafIndex,
            proof: proofOf(r.anchorLeaf.batchId, r.anchorLeaf.leafIndex),
            // Only when it differs: the event was changed and rehashed after anchoring.
            ...(r.anchorLeaf.hash && r.anchorLeaf.hash !== r.hash ? { hash: r.anchorLeaf.hash } : {}),
          }
        : null,
    ),
  );
  const headsOf = groupBy(scopedHeads, (h) => h.batchId);
  return {
    events,
    batches: batches.map((b) => ({
      index: b.id,
      root: b.root,
      previousRoot: b.previousRoot,
      eventCount: b.eventCount,
      txHash: b.txHash,
      status: b.status,
      ...(b.leafFormat >= 2
        ? {
            leafFormat: b.leafFormat,
            heads: (headsOf.get(b.id) ?? []).map((h) => ({
              subjectType: h.subjectType,
              subjectId: h.subjectId,
              sequence: h.sequence,
              hash: h.hash,
              leafIndex: h.leafIndex,
              proof: proofOf(b.id, h.leafIndex),
            })),
          }
        : {}),
    })),
  };
}

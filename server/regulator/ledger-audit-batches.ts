import "server-only";

import type { TAnchorRegistry } from "@/server/chain/client";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { headCommitment, type THead } from "@/server/ledger/hash";
import {
  checkBatchAgainstChain,
  checkHead,
  type TFinding,
  type TFinding as TLedgerFinding,
} from "@/server/ledger/ledger-checks";
import { merkleRoot } from "@/server/ledger/merkle";

type TBatchRow = { id: number; root: string; eventCount: number; status: string; leafFormat: number };
/** `hash`: what the batch committed to for the event (format 2), else the event's hash; null when gone. */
type TLeafRow = {
  batchId: number;
  leafIndex: number;
  eventId: string;
  hash: string | null;
  eventExists: boolean;
};
type THeadRow = THead & { batchId: number; leafIndex: number };

/** Up to this many `batchAt` reads in flight at once (one per batch, never one per event). */
const CHAIN_READS_IN_FLIGHT = 8;

/**
 * The batch half of the whole-ledger audit: each batch's Merkle root is rebuilt from its leaves
 * as the database holds them now (the stored hash of each leaf's event, in leaf order) and must
 * equal both the recorded root and the root the contract holds (one `batchAt` read per batch).
 * A leaf whose event is gone, a missing leaf index, and a leaf count other than the batch's are
 * named too. Batches not yet CONFIRMED (sent, or mined but short of the required confirmations)
 * are pending, not findings, and not counted as checked.
 */
export async function auditBatches(opts: {
  db: PrismaClient;
  registry: TAnchorRegistry | null;
  leavesPerRead: number;
  report: (...f: TFinding[]) => unknown;
  onBatches: (n: number) => void;
}): Promise<{ checked: number; pending: number }> {
  const { db, registry, report } = opts;
  const batches = await db.$queryRaw<TBatchRow[]>`
    SELECT id, root, "eventCount", status::text AS status, "leafFormat" FROM "AnchorBatch" ORDER BY id`;
  const orphans = await db.$queryRaw<Array<{ batchId: number; n: bigint }>>`
    SELECT "batchId", count(*) AS n FROM "AnchorLeaf"
    WHERE "batchId" NOT IN (SELECT id FROM "AnchorBatch") GROUP BY "batchId"`;
  for (const o of orphans) {
    report({
      check: "batch-count",
      batch: o.batchId,
      message: `${o.n} events claim to be in batch ${o.batchId}, which the database has no record of`,
    });
  }
  const onChainCount = registry ? Number(await registry.batchCount()) : 0;
  let checked = 0;
  let pending = 0;

  for (let i = 0; i < batches.length; ) {
    // A group of whole batches of about `leavesPerRead` leaves, read in one query.
    const group: TBatchRow[] = [];
    let leaves = 0;
    while (i < batches.length && (group.length === 0 || leaves < opts.leavesPerRead)) {
      const b = batches[i++] as TBatchRow;
      group.push(b);
      leaves += b.eventCount;
    }
    const first = group[0] as TBatchRow;
    const last = group[group.length - 1] as TBatchRow;
    const [rows, headRows, chainRoots] = await Promise.all([
      db.$queryRaw<TLeafRow[]>`
        SELECT l."batchId", l."leafIndex", l."eventId"::text AS "eventId", coalesce(l.hash, e.hash) AS hash,
               e.id IS NOT NULL AS "eventExists"
        FROM "AnchorLeaf" l LEFT JOIN "LedgerEvent" e ON e.id = l."eventId"
        WHERE l."batchId" BETWEEN ${first.id} AND ${last.id}
        ORDER BY l."batchId", l."leafIndex"`,
      db.$queryRaw<THeadRow[]>`
        SELECT "batchId", "leafIndex", "subjectType", "subjectId", sequence, hash FROM "AnchorHead"
        WHERE "batchId" BETWEEN ${first.id} AND ${last.id}
        ORDER BY "batchId", "leafIndex"`,
      readRoots(registry, group, onChainCount),
    ]);
    const headsByBatch = new Map<number, THeadRow[]>();
    for (const h of headRows) {
      const list = headsByBatch.get(h.batchId);
      if (list) list.push(h);
      else headsByBatch.set(h.batchId, [h]);
    }
    const byBatch = new Map<number, TLeafRow[]>();
    for (const r of rows) {
      const list = byBatch.get(r.batchId);
      if (list) list.push(r);
      else byBatch.set(r.batchId, [r]);
    }
    for (const b of group) {
      const chainRoot = chainRoots.get(b.id) ?? null;
      // Anchored means confirmed: a batch short of its confirmations is pending, whether or not
      // its transaction is already in a block.
      if (b.status !== "CONFIRMED") {
        pending++;
        continue;
      }
      report(
        ...checkBatch(
          b,
          byBatch.get(b.id) ?? [],
          registry ? chainRoot : undefined,
          headsByBatch.get(b.id) ?? [],
        ),
      );
      checked++;
    }
    opts.onBatches(group.length);
  }
  return { checked, pending };
}

async function readRoots(
  registry: TAnchorRegistry | null,
  group: TBatchRow[],
  onChainCount: number,
): Promise<Map<number, string>> {
  const roots = new Map<number, string>();
  if (!registry) return roots;
  const onChain = group.filter((b) => b.id < onChainCount);
  for (let i = 0; i < onChain.length; i += CHAIN_READS_IN_FLIGHT) {
    const slice = onChain.slice(i, i + CHAIN_READS_IN_FLIGHT);
    const read = await Promise.all(slice.map((b) => registry.batchAt(b.id)));
    slice.forEach((b, k) => {
      roots.set(b.id, String(read[k]?.[0]).toLowerCase());
    });
  }
  return roots;
}

/**
 * One batch. `chainRoot`: the contract's root, null when the chain has no such batch, undefined
 * when there is no chain to ask. Pure, so it is tested with tables of leaves.
 */
export function checkBatch(
  b: TBatchRow,
  leaves: TLeafRow[],
  chainRoot: string | null | undefined,
  heads: THeadRow[] = [],
): TFinding[] {
  const findings: TFinding[] = [];
  const report = (...f: TFinding[]) => findings.push(...f);
  if (chainRoot === null) checkBatchAgainstChain({ index: b.id, root: b.root }, null, report);
  for (const l of leaves.filter((l) => !l.eventExists)) {
    // Format 2 keeps the committed hash, so the root still rebuilds: the event alone is named.
    findings.push({
      check: l.hash === null ? "batch-root" : "chain-gap",
      batch: b.id,
      eventId: l.eventId,
      message: `batch ${b.id}, leaf ${l.leafIndex}: its event ${l.eventId} is no longer in the ledger (deleted)`,
    });
  }
  const missing = leaves.filter((l) => l.hash === null);
  const gaps = leaves.flatMap((l, k) => (l.leafIndex !== k ? [k] : [])).slice(0, 1);
  if (leaves.length !== b.eventCount || gaps.length > 0) {
    findings.push({
      check: "batch-count",
      batch: b.id,
      message: `batch ${b.id} committed to ${b.eventCount} events but the database holds ${leaves.length} of its leaves${gaps.length ? ` (leaf ${gaps[0]} is missing)` : ""}`,
    });
  }
  if (missing.length > 0 || leaves.length === 0) return findings;
  const root = merkleRoot([
    ...leaves.map((l) => l.hash as string),
    ...(b.leafFormat >= 2 ? heads.map(headCommitment) : []),
  ]).toLowerCase();
  // The chain is the authority; the recorded root stands in only when there is no chain to ask.
  const expected = chainRoot ?? b.root.toLowerCase();
  if (root !== expected) {
    findings.push({
      check: "batch-root",
      batch: b.id,
      message: `batch ${b.id}: the root rebuilt from its ${leaves.length} leaves in the database differs from the ${chainRoot ? "on-chain" : "recorded"} root ${expected}: an anchored event's hash or a leaf was changed`,
    });
  } else if (chainRoot) {
    checkBatchAgainstChain({ index: b.id, root: b.root }, chainRoot, report);
  }
  return findings;
}

/**
 * Every subject head a batch committed to (leaf format 2) against the ledger as it is now, one
 * query: a head whose event is gone names the deleted last event, or the whole deleted subject.
 */
export async function auditHeads(
  db: PrismaClient,
  report: (...f: TLedgerFinding[]) => unknown,
): Promise<void> {
  const rows = await db.$queryRaw<
    Array<
      THeadRow & {
        eventId: string | null;
        eventHash: string | null;
        anchored: boolean;
        lastSequence: number | null;
      }
    >
  >`
    SELECT h."batchId", h."leafIndex", h."subjectType", h."subjectId", h.sequence, h.hash,
           e.id::text AS "eventId", e.hash AS "eventHash", l."eventId" IS NOT NULL AS anchored,
           (SELECT max(x.sequence) FROM "LedgerEvent" x
             WHERE x."subjectType" = h."subjectType" AND x."subjectId" = h."subjectId") AS "lastSequence"
    FROM "AnchorHead" h
    LEFT JOIN "LedgerEvent" e ON e."subjectType" = h."subjectType" AND e."subjectId" = h."subjectId" AND e.sequence = h.sequence
    LEFT JOIN "AnchorLeaf" l ON l."eventId" = e.id
    ORDER BY h."batchId", h."leafIndex"`;
  for (const r of rows) {
    checkHead(
      { ...r, batch: r.batchId },
      {
        lastSequence: r.lastSequence,
        event: r.eventId && r.eventHash ? { id: r.eventId, hash: r.eventHash, anchored: r.anchored } : null,
      },
      report,
    );
  }
}

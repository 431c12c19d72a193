import type { TAnchorRegistry } from "@/server/chain/client";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { merkleRoot } from "@/server/ledger/merkle";
import type { TFinding } from "@/server/ledger/verify-events";

type TBatchRow = { id: number; root: string; eventCount: number; status: string };
type TLeafRow = { batchId: number; leafIndex: number; eventId: string; hash: string | null };

/** Up to this many `batchAt` reads in flight at once (one per batch, never one per event). */
const CHAIN_READS_IN_FLIGHT = 8;

/**
 * The batch half of the whole-ledger audit: each batch's Merkle root is rebuilt from its leaves
 * as the database holds them now (the stored hash of each leaf's event, in leaf order) and must
 * equal both the recorded root and the root the contract holds (one `batchAt` read per batch).
 * A leaf whose event is gone, a missing leaf index, and a leaf count other than the batch's are
 * named too. Batches not yet confirmed and not yet on chain are pending, not findings.
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
    SELECT id, root, "eventCount", status::text AS status FROM "AnchorBatch" ORDER BY id`;
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
    const [rows, chainRoots] = await Promise.all([
      db.$queryRaw<TLeafRow[]>`
        SELECT l."batchId", l."leafIndex", l."eventId"::text AS "eventId", e.hash
        FROM "AnchorLeaf" l LEFT JOIN "LedgerEvent" e ON e.id = l."eventId"
        WHERE l."batchId" BETWEEN ${first.id} AND ${last.id}
        ORDER BY l."batchId", l."leafIndex"`,
      readRoots(registry, group, onChainCount),
    ]);
    const byBatch = new Map<number, TLeafRow[]>();
    for (const r of rows) {
      const list = byBatch.get(r.batchId);
      if (list) list.push(r);
      else byBatch.set(r.batchId, [r]);
    }
    for (const b of group) {
      const chainRoot = chainRoots.get(b.id) ?? null;
      if (registry && chainRoot === null && b.status !== "CONFIRMED") {
        pending++;
        continue;
      }
      report(...checkBatch(b, byBatch.get(b.id) ?? [], registry ? chainRoot : undefined));
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
): TFinding[] {
  const findings: TFinding[] = [];
  if (chainRoot === null) {
    findings.push({
      check: "batch-root",
      batch: b.id,
      message: `batch ${b.id} is recorded as anchored but is not on chain`,
    });
  }
  const missing = leaves.filter((l) => l.hash === null);
  for (const l of missing) {
    findings.push({
      check: "batch-root",
      batch: b.id,
      eventId: l.eventId,
      message: `batch ${b.id}, leaf ${l.leafIndex}: its event ${l.eventId} is no longer in the ledger (deleted)`,
    });
  }
  const gaps = leaves.flatMap((l, k) => (l.leafIndex !== k ? [k] : [])).slice(0, 1);
  if (leaves.length !== b.eventCount || gaps.length > 0) {
    findings.push({
      check: "batch-count",
      batch: b.id,
      message: `batch ${b.id} committed to ${b.eventCount} events but the database holds ${leaves.length} of its leaves${gaps.length ? ` (leaf ${gaps[0]} is missing)` : ""}`,
    });
  }
  if (missing.length > 0 || leaves.length === 0) return findings;
  const root = merkleRoot(leaves.map((l) => l.hash as string)).toLowerCase();
  // The chain is the authority; the recorded root stands in only when there is no chain to ask.
  const expected = chainRoot ?? b.root.toLowerCase();
  if (root !== expected) {
    findings.push({
      check: "batch-root",
      batch: b.id,
      message: `batch ${b.id}: the root rebuilt from its ${leaves.length} leaves in the database differs from the ${chainRoot ? "on-chain" : "recorded"} root ${expected}: an anchored event's hash or a leaf was changed`,
    });
  } else if (chainRoot && b.root.toLowerCase() !== chainRoot) {
    findings.push({
      check: "batch-root",
      batch: b.id,
      message: `batch ${b.id}: the recorded root ${b.root} differs from the on-chain root ${chainRoot}`,
    });
  }
  return findings;
}

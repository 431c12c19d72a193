import "server-only";

import type { TAnchorRegistry } from "@/server/chain/client";
import { prisma as defaultDb } from "@/server/db";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { keyHistory, MISSING_KEY_HISTORY, type TKeyHistory } from "@/server/ledger/key-history";
import {
  checkSubjectSlice,
  newSubjectState,
  type TFinding,
  type TSubjectState,
} from "@/server/ledger/ledger-checks";
import { bundleEventOf, type TLedgerEventRow } from "@/server/ledger/read-events";
import { readKeyEvents } from "@/server/ledger/signing-key-events";
import { auditBatches, auditHeads } from "./ledger-audit-batches";
import { auditPasskeySignatures } from "./passkey-audit";

export type TLedgerAuditProgress = {
  phase: "events" | "batches";
  eventsChecked: number;
  eventsTotal: number;
  batchesChecked: number;
  batchesTotal: number;
};

export type TLedgerAuditReport = {
  eventsChecked: number;
  batchesChecked: number;
  /** Batches recorded but not yet confirmed on chain (the anchoring worker is still at work). */
  batchesPending: number;
  /** Every event up to this global position was audited; later appends wait for the next audit. */
  upToPosition: string;
  chainChecked: boolean;
  findings: TFinding[];
  /** All findings, also those beyond `maxFindings`. */
  findingsTotal: number;
};

type TEventRow = TLedgerEventRow & {
  position: bigint;
  batchId: number | null;
  leafIndex: number | null;
  anchoredHash: string | null;
};

type TCursor = { subjectType: string; subjectId: string; sequence: number };

/**
 * The next `size` events in (subject, sequence) order after `after`, keyset-paged over the
 * unique (subjectType, subjectId, sequence) index: each subject's history arrives contiguous and
 * in order, so the chain checks never depend on where a chunk ends.
 */
const readChunk = (db: PrismaClient, after: TCursor | null, upTo: bigint, size: number) =>
  db.$queryRaw<TEventRow[]>`
    SELECT e.id, e.position, e."subjectType", e."subjectId", e.sequence, e.type, e."schemaVersion",
           e."actorUserId", e."actorRole", e."actorOrgId", e."serverTime", e."reportedTime",
           e.payload, e.salt, e."prevHash", e.hash, e.signature, e."signedBy",
           l."batchId", l."leafIndex", l.hash AS "anchoredHash"
    FROM "LedgerEvent" e LEFT JOIN "AnchorLeaf" l ON l."eventId" = e.id
    WHERE e.position <= ${upTo}
      AND (e."subjectType", e."subjectId", e.sequence) > (${after?.subjectType ?? ""}, ${after?.subjectId ?? ""}, ${after?.sequence ?? -2147483648})
    ORDER BY e."subjectType", e."subjectId", e.sequence
    LIMIT ${size}`;

/** Collects findings, keeping the first `max` (a wrecked ledger must not exhaust memory). */
export function findingSink(max: number, onFinding?: (f: TFinding) => void) {
  const kept: TFinding[] = [];
  let total = 0;
  return {
    kept,
    total: () => total,
    push(...fs: TFinding[]) {
      for (const f of fs) {
        total++;
        if (kept.length < max) kept.push(f);
        onFinding?.(f);
      }
      return kept.length;
    },
  };
}

/**
 * Audits the whole ledger against the chain. Events are streamed subject by subject, in sequence
 * order, in chunks (the next chunk is read while this one is checked): each hash is recomputed,
 * each subject's chain checked, also across chunks (the same checks as the offline verifier, from
 * verify-events), and an unanchored event followed by anchored events of its subject is named.
 * Then each batch's Merkle root is rebuilt from its leaves as the database holds them and compared
 * with ONE `batchAt` read per batch, so the cost is one chain read per batch, not per event.
 * Events appended after the audit starts are left for the next one.
 */
export async function auditWholeLedger(opts: {
  registry: TAnchorRegistry | null;
  db?: PrismaClient;
  chunkSize?: number;
  maxFindings?: number;
  onProgress?: (p: TLedgerAuditProgress) => void;
  onFinding?: (f: TFinding) => void;
}): Promise<TLedgerAuditReport> {
  const db = opts.db ?? defaultDb;
  const chunkSize = opts.chunkSize ?? 5000;
  const sink = findingSink(opts.maxFindings ?? 1000, opts.onFinding);
  const [head] = await db.$queryRaw<Array<{ upTo: bigint | null; n: bigint; batches: bigint }>>`
    SELECT max(position) AS "upTo", count(*) AS n,
           (SELECT count(*) FROM "AnchorBatch") AS batches
    FROM "LedgerEvent"`;
  const upTo = head?.upTo ?? 0n;
  const progress: TLedgerAuditProgress = {
    phase: "events",
    eventsChecked: 0,
    eventsTotal: Number(head?.n ?? 0),
    batchesChecked: 0,
    batchesTotal: Number(head?.batches ?? 0),
  };
  opts.onProgress?.({ ...progress });

  // Every signature is checked against the key history the ledger itself establishes.
  const keys = keyHistory(await readKeyEvents(db));
  if (keys.keys.size === 0) {
    const [signed] = await db.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM "AnchorBatch" WHERE "leafFormat" >= 2`;
    if ((signed?.n ?? 0n) > 0n) sink.push(MISSING_KEY_HISTORY);
  }
  // The subject whose history the previous chunk ended in: its chain continues into the next.
  let state: TSubjectState = newSubjectState("");
  let next: Promise<TEventRow[]> = readChunk(db, null, upTo, chunkSize);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) break;
    const last = rows[rows.length - 1] as TEventRow;
    next = rows.length === chunkSize ? readChunk(db, last, upTo, chunkSize) : Promise.resolve([]);
    // A failed read ahead is reported by the next `await`, not as an unhandled rejection.
    next.catch(() => {});
    state = checkChunk(rows, state, keys, sink.push);
    progress.eventsChecked += rows.length;
    opts.onProgress?.({ ...progress });
    // Let status polls and other requests in between chunks.
    await new Promise((r) => setImmediate(r));
  }

  progress.phase = "batches";
  opts.onProgress?.({ ...progress });
  const batches = await auditBatches({
    db,
    registry: opts.registry,
    leavesPerRead: chunkSize,
    report: sink.push,
    onBatches: (n) => {
      progress.batchesChecked += n;
      opts.onProgress?.({ ...progress });
    },
  });
  await auditHeads(db, sink.push);
  // Passkey signatures on decisions, checked as the offline verifier checks them.
  await auditPasskeySignatures(db, upTo, sink.push);
  if (!opts.registry)
    sink.push({ check: "batch-root", message: "no chain to check the batch roots against" });
  return {
    eventsChecked: progress.eventsChecked,
    batchesChecked: batches.checked,
    batchesPending: batches.pending,
    upToPosition: upTo.toString(),
    chainChecked: opts.registry !== null,
    findings: sink.kept,
    findingsTotal: sink.total(),
  };
}

/**
 * One chunk in (subject, sequence) order, through the same checks as the offline verifier
 * (ledger-checks.ts). A subject's history may run on from the previous chunk: its state (tail and
 * unanchored events) is carried over, so findings never depend on where a chunk ends.
 */
function checkChunk(
  rows: TEventRow[],
  state: TSubjectState,
  keys: TKeyHistory,
  report: (...f: TFinding[]) => unknown,
): TSubjectState {
  let start = 0;
  let current = state;
  while (start < rows.length) {
    const first = rows[start] as TEventRow;
    const subject = `${first.subjectType}:${first.subjectId}`;
    let end = start + 1;
    while (end < rows.length) {
      const r = rows[end] as TEventRow;
      if (r.subjectId !== first.subjectId || r.subjectType !== first.subjectType) break;
      end++;
    }
    if (current.subject !== subject) current = newSubjectState(subject);
    const list = rows.slice(start, end).map((r) => ({
      ...bundleEventOf(r),
      anchored: r.batchId !== null,
      place: r.batchId === null || r.leafIndex === null ? null : { batch: r.batchId, leafIndex: r.leafIndex },
      anchoredHash: r.anchoredHash,
    }));
    checkSubjectSlice({ state: current, list, wholeSubject: true, report, keys });
    start = end;
  }
  return current;
}

import type { TAnchorRegistry } from "@/server/chain/client";
import { prisma as defaultDb } from "@/server/db";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { eventHash } from "@/server/ledger/hash";
import { bundleEventOf, type TLedgerEventRow } from "@/server/ledger/read-events";
import {
  checkSubjectChain,
  type TBundleEvent,
  type TChainTail,
  type TFinding,
} from "@/server/ledger/verify-events";
import { auditBatches } from "./ledger-audit-batches";

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

type TEventRow = TLedgerEventRow & { position: bigint; batchId: number | null };

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
           e.payload, e.salt, e."prevHash", e.hash, l."batchId"
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

  // The subject whose history the previous chunk ended in: its chain continues into the next.
  const state: TSubjectState = { subject: null, tail: null, unanchored: [] };
  let next: Promise<TEventRow[]> = readChunk(db, null, upTo, chunkSize);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) break;
    const last = rows[rows.length - 1] as TEventRow;
    next = rows.length === chunkSize ? readChunk(db, last, upTo, chunkSize) : Promise.resolve([]);
    // A failed read ahead is reported by the next `await`, not as an unhandled rejection.
    next.catch(() => {});
    checkChunk(rows, state, sink.push);
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

const toEvent = (r: TEventRow): TBundleEvent => bundleEventOf(r);

type TSubjectState = {
  subject: string | null;
  tail: TChainTail | null;
  /** The subject's events not (yet) anchored: fine at the end of a history, a finding before an anchored one. */
  unanchored: Array<{ id: string; sequence: number }>;
};

/**
 * One chunk in (subject, sequence) order: hashes, each subject's chain continuing from the state
 * the previous chunk left, anchoring order (anchoring follows insertion order, so an unanchored
 * event before an anchored one of its subject was put in after the fact).
 */
function checkChunk(rows: TEventRow[], state: TSubjectState, report: (...f: TFinding[]) => unknown): void {
  let start = 0;
  while (start < rows.length) {
    const first = rows[start] as TEventRow;
    const subject = `${first.subjectType}:${first.subjectId}`;
    let end = start + 1;
    while (end < rows.length) {
      const r = rows[end] as TEventRow;
      if (r.subjectId !== first.subjectId || r.subjectType !== first.subjectType) break;
      end++;
    }
    if (state.subject !== subject) {
      state.subject = subject;
      state.tail = null;
      state.unanchored = [];
    }
    const list = rows.slice(start, end);
    const events = list.map(toEvent);
    for (const e of events) {
      if (eventHash(e) !== e.hash) {
        report({
          check: "hash",
          eventId: e.id,
          subject,
          sequence: e.sequence,
          message: `event ${e.id} (${subject} #${e.sequence}): content does not match its hash (changed after it was recorded)`,
        });
      }
    }
    const findings: TFinding[] = [];
    checkSubjectChain({ subject, list: events, before: state.tail, wholeSubject: true, findings });
    report(...findings);
    const tail = events[events.length - 1] as TBundleEvent;
    state.tail = { id: tail.id, sequence: tail.sequence, hash: tail.hash, serverTime: tail.serverTime };
    for (const r of list) {
      if (r.batchId === null) {
        state.unanchored.push({ id: r.id, sequence: r.sequence });
        continue;
      }
      for (const w of state.unanchored) {
        report({
          check: "not-anchored",
          eventId: w.id,
          subject,
          sequence: w.sequence,
          message: `${subject}: event ${w.id} (#${w.sequence}) was never anchored although later events were: inserted after the fact`,
        });
      }
      state.unanchored = [];
    }
    start = end;
  }
}

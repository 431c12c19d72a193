import type { TAnchorRegistry } from "@/server/chain/client";
import { prisma as defaultDb } from "@/server/db";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { eventHash } from "@/server/ledger/hash";
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

type TEventRow = {
  id: string;
  position: bigint;
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
  batchId: number | null;
};

const readChunk = (db: PrismaClient, after: bigint, upTo: bigint, size: number) =>
  db.$queryRaw<TEventRow[]>`
    SELECT e.id, e.position, e."subjectType", e."subjectId", e.sequence, e.type, e."schemaVersion",
           e."actorUserId", e."actorRole", e."actorOrgId", e."serverTime", e."reportedTime",
           e.payload, e.salt, e."prevHash", e.hash, l."batchId"
    FROM "LedgerEvent" e LEFT JOIN "AnchorLeaf" l ON l."eventId" = e.id
    WHERE e.position > ${after} AND e.position <= ${upTo}
    ORDER BY e.position
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
 * Audits the whole ledger against the chain. Events are streamed in global `position` order in
 * chunks (the next chunk is read while this one is checked): each hash is recomputed, each
 * subject's chain checked across chunks (the same checks as the offline verifier, from
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

  const tails = new Map<string, TChainTail>();
  // Per subject, its events not (yet) anchored: fine at the end of a history, a finding before an anchored one.
  const unanchored = new Map<string, Array<{ id: string; sequence: number }>>();
  let next: Promise<TEventRow[]> = readChunk(db, 0n, upTo, chunkSize);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) break;
    const last = rows[rows.length - 1] as TEventRow;
    if (rows.length === chunkSize) next = readChunk(db, last.position, upTo, chunkSize);
    else next = Promise.resolve([]);
    checkChunk(rows, tails, unanchored, sink.push);
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

function toEvent(r: TEventRow): TBundleEvent {
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
    anchor: null,
  };
}

/** One chunk: hashes, each subject's chain continuing from its tail, anchoring order. */
function checkChunk(
  rows: TEventRow[],
  tails: Map<string, TChainTail>,
  unanchored: Map<string, Array<{ id: string; sequence: number }>>,
  report: (...f: TFinding[]) => unknown,
): void {
  const bySubject = new Map<string, Array<{ e: TBundleEvent; batchId: number | null }>>();
  for (const r of rows) {
    const e = toEvent(r);
    const subject = `${e.subjectType}:${e.subjectId}`;
    if (eventHash(e) !== e.hash) {
      report({
        check: "hash",
        eventId: e.id,
        subject,
        sequence: e.sequence,
        message: `event ${e.id} (${subject} #${e.sequence}): content does not match its hash (changed after it was recorded)`,
      });
    }
    const list = bySubject.get(subject);
    if (list) list.push({ e, batchId: r.batchId });
    else bySubject.set(subject, [{ e, batchId: r.batchId }]);
  }
  for (const [subject, list] of bySubject) {
    list.sort((a, b) => a.e.sequence - b.e.sequence);
    const findings: TFinding[] = [];
    const before = tails.get(subject) ?? null;
    checkSubjectChain({ subject, list: list.map((x) => x.e), before, wholeSubject: true, findings });
    report(...findings);
    const tail = list[list.length - 1]?.e as TBundleEvent;
    tails.set(subject, {
      id: tail.id,
      sequence: tail.sequence,
      hash: tail.hash,
      serverTime: tail.serverTime,
    });
    for (const { e, batchId } of list) {
      const waiting = unanchored.get(subject);
      if (batchId === null) {
        if (waiting) waiting.push({ id: e.id, sequence: e.sequence });
        else unanchored.set(subject, [{ id: e.id, sequence: e.sequence }]);
        continue;
      }
      if (!waiting) continue;
      // Anchoring follows insertion order, so these were put in after the fact.
      for (const w of waiting) {
        report({
          check: "not-anchored",
          eventId: w.id,
          subject,
          sequence: w.sequence,
          message: `${subject}: event ${w.id} (#${w.sequence}) was never anchored although later events were: inserted after the fact`,
        });
      }
      unanchored.delete(subject);
    }
  }
}

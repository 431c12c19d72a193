import "server-only";

import { optionalRegistry, type TAnchorRegistry } from "@/server/chain/client";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { auditWholeLedger, type TLedgerAuditProgress, type TLedgerAuditReport } from "./ledger-audit";

/** One whole-ledger audit run in the background, as the audit page polls it. */
export type TLedgerAuditJob = {
  /** The caller's id for this run: asking to start it again returns it, never a second run. */
  id: string;
  startedBy: string;
  startedAt: Date;
  finishedAt: Date | null;
  progress: TLedgerAuditProgress;
  /** Findings so far, while the audit runs (the list itself comes with the report). */
  findingsSoFar: number;
  report: TLedgerAuditReport | null;
  error: string | null;
};

/** Findings kept in the report; more are counted, not listed. */
export const LEDGER_AUDIT_MAX_FINDINGS = 500;

// Route handlers and server components are bundled apart: the job lives on globalThis.
const KEY = Symbol.for("transplant-portal.ledger-audit-job");
type TGlobal = typeof globalThis & { [KEY]?: { job: TLedgerAuditJob; done: Promise<void> } };

const snapshot = (job: TLedgerAuditJob): TLedgerAuditJob => ({ ...job, progress: { ...job.progress } });

/**
 * Starts a whole-ledger audit in the background, one at a time per process: while one runs, or
 * when `id` names the last one, that one is returned instead. Starting changes no data, so asking
 * twice (a retried request, a second regulator) is harmless.
 */
export function startLedgerAudit(opts: {
  id: string;
  startedBy: string;
  registry?: TAnchorRegistry | null;
  db?: PrismaClient;
  chunkSize?: number;
}): TLedgerAuditJob {
  const g = globalThis as TGlobal;
  const current = g[KEY];
  if (current && (current.job.finishedAt === null || current.job.id === opts.id))
    return snapshot(current.job);

  const job: TLedgerAuditJob = {
    id: opts.id,
    startedBy: opts.startedBy,
    startedAt: new Date(),
    finishedAt: null,
    progress: { phase: "events", eventsChecked: 0, eventsTotal: 0, batchesChecked: 0, batchesTotal: 0 },
    findingsSoFar: 0,
    report: null,
    error: null,
  };
  const done = auditWholeLedger({
    registry: opts.registry === undefined ? optionalRegistry() : opts.registry,
    db: opts.db,
    chunkSize: opts.chunkSize,
    maxFindings: LEDGER_AUDIT_MAX_FINDINGS,
    onProgress: (p) => {
      job.progress = p;
    },
    onFinding: () => {
      job.findingsSoFar++;
    },
  }).then(
    (report) => {
      job.report = report;
      job.finishedAt = new Date();
    },
    (err: Error) => {
      // The page shows a plain sentence; the cause (maybe SQL) stays in the server log.
      console.error(`[ledger-audit] stopped: ${err.message.split("\n")[0]?.slice(0, 300)}`);
      job.error =
        "The audit stopped before the end (the database or the chain did not answer). Nothing was changed; run it again.";
      job.finishedAt = new Date();
    },
  );
  g[KEY] = { job, done };
  return snapshot(job);
}

/** The running or last audit of this process, or null when none has run since it started. */
export function ledgerAuditStatus(): TLedgerAuditJob | null {
  const current = (globalThis as TGlobal)[KEY];
  return current ? snapshot(current.job) : null;
}

/** Resolves when the current audit has finished (tests). */
export async function ledgerAuditSettled(): Promise<void> {
  await (globalThis as TGlobal)[KEY]?.done;
}

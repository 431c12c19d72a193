import { eventHash, type THashedEvent } from "./hash";
import { leafHash, verifyProof } from "./merkle";

/** An event as exported in an audit bundle (and as read from the database for an audit). */
export type TBundleEvent = THashedEvent & {
  id: string;
  hash: string;
  anchor: { batch: number; leafIndex: number; proof: string[] } | null;
};

export type TBundleBatch = {
  index: number;
  root: string;
  previousRoot: string;
  eventCount: number;
  txHash: string | null;
};

export type TFindingCheck =
  | "hash"
  | "chain-gap"
  | "chain-link"
  | "chain-order"
  | "chain-duplicate"
  | "chain-start"
  | "proof"
  | "batch-root"
  | "batch-count"
  | "not-anchored";

/** One failed check, naming the exact event (or batch) and what is wrong. */
export type TFinding = {
  check: TFindingCheck;
  eventId?: string;
  subject?: string;
  batch?: number;
  /** The event's sequence within its subject, when the finding names an event. */
  sequence?: number;
  message: string;
};

const memoFor = (memos: Map<number, Map<string, string>>, batch: number) => {
  let m = memos.get(batch);
  if (!m) {
    m = new Map();
    memos.set(batch, m);
  }
  return m;
};

const subjectKey = (e: { subjectType: string; subjectId: string }) => `${e.subjectType}:${e.subjectId}`;

/**
 * Checks events without trusting their source: each hash is recomputed, each subject's chain must
 * run 1, 2, 3, … with every prevHash naming the previous event's hash, and each anchored event's
 * proof must lead to its batch root. `onChainRoots` are the roots read from the contract (one read
 * per batch); a batch whose recorded root differs from the chain's is a finding too.
 * `wholeSubjects`: the events are each subject's complete history (so the chain must start at 1).
 */
export function verifyEvents(opts: {
  events: TBundleEvent[];
  batches: TBundleBatch[];
  onChainRoots: Map<number, string | null>;
  wholeSubjects: boolean;
  requireAnchored?: boolean;
}): { findings: TFinding[]; eventsChecked: number } {
  const findings: TFinding[] = [];
  const batchByIndex = new Map(opts.batches.map((b) => [b.index, b]));

  for (const b of opts.batches) {
    const chainRoot = opts.onChainRoots.get(b.index);
    if (chainRoot === undefined) continue;
    if (chainRoot === null) {
      findings.push({ check: "batch-root", batch: b.index, message: `batch ${b.index} is not on chain` });
    } else if (chainRoot.toLowerCase() !== b.root.toLowerCase()) {
      findings.push({
        check: "batch-root",
        batch: b.index,
        message: `batch ${b.index}: recorded root ${b.root} differs from the on-chain root ${chainRoot}`,
      });
    }
  }

  const bySubject = new Map<string, TBundleEvent[]>();
  const leavesPerBatch = new Map<number, number>();
  const memos = new Map<number, Map<string, string>>();
  for (const e of opts.events) {
    const recomputed = eventHash(e);
    if (recomputed !== e.hash) {
      findings.push({
        check: "hash",
        eventId: e.id,
        sequence: e.sequence,
        subject: subjectKey(e),
        message: `event ${e.id} (${subjectKey(e)} #${e.sequence}): content does not match its hash (changed after it was recorded)`,
      });
    }
    const list = bySubject.get(subjectKey(e)) ?? [];
    list.push(e);
    bySubject.set(subjectKey(e), list);

    if (!e.anchor) {
      if (opts.requireAnchored)
        findings.push({
          check: "not-anchored",
          eventId: e.id,
          sequence: e.sequence,
          subject: subjectKey(e),
          message: `event ${e.id} is not anchored in any batch`,
        });
      continue;
    }
    leavesPerBatch.set(e.anchor.batch, (leavesPerBatch.get(e.anchor.batch) ?? 0) + 1);
    const batch = batchByIndex.get(e.anchor.batch);
    const root = opts.onChainRoots.get(e.anchor.batch) ?? batch?.root;
    // The proof is checked for the hash the event claims AND must match its recomputed content.
    if (!root || !verifyProof(root, e.hash, e.anchor.proof, memoFor(memos, e.anchor.batch))) {
      findings.push({
        check: "proof",
        eventId: e.id,
        sequence: e.sequence,
        subject: subjectKey(e),
        batch: e.anchor.batch,
        message: `event ${e.id}: its inclusion proof does not lead to batch ${e.anchor.batch}'s on-chain root`,
      });
    }
  }

  for (const [subject, list] of bySubject) {
    list.sort((a, b) => a.sequence - b.sequence);
    checkSubjectChain({ subject, list, before: null, wholeSubject: opts.wholeSubjects, findings });
    // Anchoring follows insertion order, so an unanchored event before an anchored one of the
    // same subject was put in after the fact.
    const lastAnchored = list.findLastIndex((e) => e.anchor !== null);
    for (const e of list.slice(0, Math.max(0, lastAnchored))) {
      if (!e.anchor) {
        findings.push({
          check: "not-anchored",
          eventId: e.id,
          sequence: e.sequence,
          subject,
          message: `${subject}: event ${e.id} (#${e.sequence}) was never anchored although later events were: inserted after the fact`,
        });
      }
    }
  }

  if (opts.wholeSubjects) {
    for (const b of opts.batches) {
      const seen = leavesPerBatch.get(b.index) ?? 0;
      if (seen > b.eventCount)
        findings.push({
          check: "batch-count",
          batch: b.index,
          message: `batch ${b.index} committed to ${b.eventCount} events but ${seen} claim to be in it`,
        });
    }
  }
  return { findings, eventsChecked: opts.events.length };
}

export { leafHash };

/** The last event of a subject checked before the current slice of its history. */
export type TChainTail = { id: string; sequence: number; hash: string; serverTime: string };
type TChainEvent = TChainTail & { prevHash: string | null };

/**
 * Checks one subject's chain: sequences run on by one, each prevHash names the previous event's
 * hash, server times never go backwards. Precondition: `list` is sorted by sequence. `before` is the
 * subject's last event from an earlier slice (a whole-ledger audit reads the ledger in chunks), so
 * the chain is checked across slices; `wholeSubject`: with no `before`, the history must start at 1.
 */
export function checkSubjectChain(opts: {
  subject: string;
  list: TChainEvent[];
  before: TChainTail | null;
  wholeSubject: boolean;
  findings: TFinding[];
}): void {
  let prev: TChainTail | undefined = opts.before ?? undefined;
  for (const e of opts.list) {
    if (prev && e.sequence === prev.sequence) {
      opts.findings.push({
        check: "chain-duplicate",
        eventId: e.id,
        sequence: e.sequence,
        subject: opts.subject,
        message: `${opts.subject}: two events claim sequence ${e.sequence} (${prev.id} and ${e.id})`,
      });
    } else if (prev && e.sequence !== prev.sequence + 1) {
      opts.findings.push({
        check: "chain-gap",
        eventId: e.id,
        sequence: e.sequence,
        subject: opts.subject,
        message: `${opts.subject}: events ${prev.sequence + 1}–${e.sequence - 1} are missing before event ${e.id} (#${e.sequence})`,
      });
    } else if (!prev && opts.wholeSubject && e.sequence !== 1) {
      opts.findings.push({
        check: "chain-start",
        eventId: e.id,
        sequence: e.sequence,
        subject: opts.subject,
        message: `${opts.subject}: history starts at #${e.sequence}; events 1–${e.sequence - 1} are missing`,
      });
    }
    if (prev && e.sequence === prev.sequence + 1 && e.prevHash !== prev.hash) {
      opts.findings.push({
        check: "chain-link",
        eventId: e.id,
        sequence: e.sequence,
        subject: opts.subject,
        message: `${opts.subject}: event ${e.id} (#${e.sequence}) does not follow event ${prev.id} (#${prev.sequence}): its previous-hash link is broken (reordered or inserted)`,
      });
    }
    if (!prev && opts.wholeSubject && e.sequence === 1 && e.prevHash !== null) {
      opts.findings.push({
        check: "chain-link",
        eventId: e.id,
        sequence: e.sequence,
        subject: opts.subject,
        message: `${opts.subject}: first event ${e.id} names a previous event`,
      });
    }
    if (prev && e.serverTime < prev.serverTime) {
      opts.findings.push({
        check: "chain-order",
        eventId: e.id,
        sequence: e.sequence,
        subject: opts.subject,
        message: `${opts.subject}: event ${e.id} (#${e.sequence}) is timed before #${prev.sequence}`,
      });
    }
    prev = e;
  }
}

import { eventHash, type THashedEvent } from "./hash";
import { signatureProblem, type TAnchorPlace, type TKeyHistory } from "./key-history";

/**
 * The ledger checks, in one place: the offline verifier (verify-events.ts, on an audit bundle) and
 * the regulator's whole-ledger audit (regulator/ledger-audit.ts, streaming the database) both run
 * these, so they cannot disagree about what an event or a subject's history must satisfy. What
 * differs between them is only where the events and roots come from.
 */

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
  | "not-anchored"
  | "passkey-signature"
  | "signature"
  | "head";

/** One failed check, naming the exact event (or subject, or batch) and what is wrong. */
export type TFinding = {
  check: TFindingCheck;
  eventId?: string;
  subject?: string;
  batch?: number;
  /** The event's sequence within its subject, when the finding names an event. */
  sequence?: number;
  message: string;
};

export type TReport = (...findings: TFinding[]) => unknown;

/** An event as both checkers see it: its hashed fields, id and stored hash, and whether it is in a batch. */
export type TCheckedEvent = THashedEvent & {
  id: string;
  hash: string;
  anchored: boolean;
  signature?: string | null;
  signedBy?: string | null;
  /** Its batch and leaf, when anchored. */
  place?: TAnchorPlace | null;
  /**
   * The hash its batch committed to for it (leaf format 2), proven against the chain root. Differs
   * from `hash` only when the event was changed and rehashed after anchoring.
   */
  anchoredHash?: string | null;
  /** Its content hash, when the caller computed it already (off the checks' critical path). */
  computedHash?: string;
  /** Whether its signature holds, when the caller checked it already (`signaturesHold`). */
  signatureHolds?: boolean;
};

export const subjectKey = (e: { subjectType: string; subjectId: string }) =>
  `${e.subjectType}:${e.subjectId}`;

/**
 * The event's own content: its hash recomputed from what it says, the hash against the one its
 * batch anchored, and (with a key history) the portal's signature over it. True when the content
 * stands, so that chain findings derived from a changed event are not also blamed on its neighbours.
 */
export function checkEventContent(e: TCheckedEvent, report: TReport, keys?: TKeyHistory | null): boolean {
  const subject = subjectKey(e);
  let holds = true;
  if ((e.computedHash ?? eventHash(e)) !== e.hash) {
    holds = false;
    report({
      check: "hash",
      eventId: e.id,
      subject,
      sequence: e.sequence,
      message: `event ${e.id} (${subject} #${e.sequence}): content does not match its hash (changed after it was recorded)`,
    });
  } else if (e.anchoredHash && e.anchoredHash !== e.hash) {
    holds = false;
    report({
      check: "proof",
      eventId: e.id,
      subject,
      sequence: e.sequence,
      batch: e.place?.batch,
      message: `event ${e.id} (${subject} #${e.sequence}): its hash is not the one batch ${e.place?.batch} anchored for it (${e.anchoredHash}): changed and rehashed after anchoring`,
    });
  }
  if (keys) {
    const problem = signatureProblem(e, keys, e.signatureHolds);
    if (problem) {
      report({
        check: "signature",
        eventId: e.id,
        subject,
        sequence: e.sequence,
        message: `event ${e.id} (${subject} #${e.sequence}) ${problem}`,
      });
    }
  }
  return holds;
}

/** The last event of a subject checked before the current slice of its history. */
export type TChainTail = {
  id: string;
  sequence: number;
  hash: string;
  serverTime: string;
  /** The hash anchored for it, when known and different. */
  anchoredHash?: string | null;
  /** Whether its content stood (see checkEventContent). */
  holds?: boolean;
};

/** What a subject's check carries from one slice of its history to the next. */
export type TSubjectState = {
  subject: string;
  tail: TChainTail | null;
  /** The subject's events not (yet) anchored: fine at the end of a history, a finding before an anchored one. */
  unanchored: Array<{ id: string; sequence: number }>;
};

export const newSubjectState = (subject: string): TSubjectState => ({ subject, tail: null, unanchored: [] });

/**
 * One slice of one subject's history, continuing from `state` (a whole-ledger audit reads the
 * ledger in chunks; the verifier passes a subject's whole list at once). Precondition: `list` is
 * sorted by sequence and follows the slice `state` saw. Checks each event's content, then the chain:
 * sequences run on by one, each prevHash names the previous event's hash, recorded (server) times
 * never go backwards along the sequence (they are taken under the lock that assigns it), and
 * anchoring follows insertion order (an unanchored event before an anchored one of the same subject
 * was put in after the fact). `wholeSubject`: with no earlier slice, the history must start at 1.
 */
export function checkSubjectSlice(opts: {
  state: TSubjectState;
  list: TCheckedEvent[];
  wholeSubject: boolean;
  report: TReport;
  /** The signing keys; without them signatures are not checked (bundles from before signing). */
  keys?: TKeyHistory | null;
}): void {
  const { state, report } = opts;
  const subject = state.subject;
  let prev = state.tail ?? undefined;
  for (const e of opts.list) {
    const holds = checkEventContent(e, report, opts.keys);
    // A changed event is named by its own check; its links and times are not evidence against its
    // neighbours (a swap or a renumbering would otherwise blame the untouched events around it).
    const pairHolds = holds && prev?.holds !== false;
    if (prev && e.sequence === prev.sequence) {
      report({
        check: "chain-duplicate",
        eventId: e.id,
        sequence: e.sequence,
        subject,
        message: `${subject}: two events claim sequence ${e.sequence} (${prev.id} and ${e.id})`,
      });
    } else if (prev && e.sequence !== prev.sequence + 1) {
      // Named by the missing sequence (the event after the gap is untouched).
      report({
        check: "chain-gap",
        sequence: prev.sequence + 1,
        subject,
        message:
          e.sequence === prev.sequence + 2
            ? `${subject}: event #${prev.sequence + 1} is missing (deleted) between #${prev.sequence} and #${e.sequence} (${e.id})`
            : `${subject}: events #${prev.sequence + 1}–#${e.sequence - 1} are missing (deleted) before #${e.sequence} (${e.id})`,
      });
    } else if (!prev && opts.wholeSubject && e.sequence !== 1) {
      report({
        check: "chain-start",
        eventId: e.id,
        sequence: e.sequence,
        subject,
        message: `${subject}: history starts at #${e.sequence}; events 1–${e.sequence - 1} are missing`,
      });
    }
    if (
      pairHolds &&
      prev &&
      e.sequence === prev.sequence + 1 &&
      e.prevHash !== prev.hash &&
      // The previous event changed and rehashed after anchoring is named by its own `proof`.
      e.prevHash !== prev.anchoredHash
    ) {
      report({
        check: "chain-link",
        eventId: e.id,
        sequence: e.sequence,
        subject,
        message: `${subject}: event ${e.id} (#${e.sequence}) does not follow event ${prev.id} (#${prev.sequence}): its previous-hash link is broken (reordered or inserted)`,
      });
    }
    if (holds && !prev && opts.wholeSubject && e.sequence === 1 && e.prevHash !== null) {
      report({
        check: "chain-link",
        eventId: e.id,
        sequence: e.sequence,
        subject,
        message: `${subject}: first event ${e.id} names a previous event`,
      });
    }
    if (pairHolds && prev && e.serverTime < prev.serverTime) {
      report({
        check: "chain-order",
        eventId: e.id,
        sequence: e.sequence,
        subject,
        message: `${subject}: event ${e.id} (#${e.sequence}) is recorded at ${e.serverTime}, before #${prev.sequence} (${prev.serverTime}); recorded times follow the sequence`,
      });
    }
    if (!e.anchored) {
      state.unanchored.push({ id: e.id, sequence: e.sequence });
    } else {
      for (const w of state.unanchored) {
        report({
          check: "not-anchored",
          eventId: w.id,
          sequence: w.sequence,
          subject,
          message: `${subject}: event ${w.id} (#${w.sequence}) was never anchored although later events were: inserted after the fact`,
        });
      }
      state.unanchored = [];
    }
    prev = {
      id: e.id,
      sequence: e.sequence,
      hash: e.hash,
      serverTime: e.serverTime,
      anchoredHash: e.anchoredHash ?? null,
      holds,
    };
  }
  state.tail = prev ?? null;
}

/**
 * A batch's recorded root against the chain's. `chainRoot`: null when the chain has no such batch,
 * undefined when there is no chain to ask (then nothing is said here).
 */
export function checkBatchAgainstChain(
  b: { index: number; root: string },
  chainRoot: string | null | undefined,
  report: TReport,
): void {
  if (chainRoot === undefined) return;
  if (chainRoot === null) {
    report({
      check: "batch-root",
      batch: b.index,
      message: `batch ${b.index} is recorded as anchored but is not on chain`,
    });
  } else if (chainRoot.toLowerCase() !== b.root.toLowerCase()) {
    report({
      check: "batch-root",
      batch: b.index,
      message: `batch ${b.index}: the recorded root ${b.root} differs from the on-chain root ${chainRoot}`,
    });
  }
}

/** What the ledger holds for a subject whose head a batch committed to. */
export type THeadFound = {
  /** The subject's highest sequence now, null when it has no events at all. */
  lastSequence: number | null;
  /** The event at the head's sequence, if there is one. */
  event: { id: string; hash: string; anchored: boolean } | null;
};

/**
 * A subject's head as batch `batch` committed to it (leaf format 2) against the ledger: the subject
 * must still have that event, with that hash. Names a whole subject deleted, and a deleted last
 * event (which no later event's link would betray). A head event that is there but changed is
 * named by its own `hash`/`proof` checks when anchored; here only when its anchoring was removed.
 */
export function checkHead(
  head: { batch: number; subjectType: string; subjectId: string; sequence: number; hash: string },
  found: THeadFound,
  report: TReport,
): void {
  const subject = subjectKey(head);
  const base = { check: "head" as const, subject, sequence: head.sequence, batch: head.batch };
  if (found.lastSequence === null) {
    report({
      ...base,
      message: `${subject} has no events, but batch ${head.batch} committed to its history up to #${head.sequence}: the whole subject was deleted`,
    });
  } else if (found.lastSequence < head.sequence) {
    report({
      ...base,
      message: `${subject} ends at #${found.lastSequence}, but batch ${head.batch} committed to its history up to #${head.sequence}: its last event${head.sequence - found.lastSequence > 1 ? "s were" : " was"} deleted`,
    });
  } else if (found.event && !found.event.anchored && found.event.hash !== head.hash) {
    report({
      ...base,
      eventId: found.event.id,
      message: `${subject} #${head.sequence} (${found.event.id}) is not the event batch ${head.batch} committed to as the subject's head: rewritten and its anchoring removed`,
    });
  }
}

import { eventHash, headCommitment, type THashedEvent, type THead } from "./hash";
import {
  keyHistory,
  MISSING_KEY_HISTORY,
  SIGNING_KEYS_SUBJECT,
  signaturesHold,
  type TSignedEvent,
} from "./key-history";
import {
  checkBatchAgainstChain,
  checkHead,
  checkSubjectSlice,
  newSubjectState,
  subjectKey,
  type TCheckedEvent,
  type TFinding,
} from "./ledger-checks";
import { leafHash, merkleRoot, verifyProof } from "./merkle";

export type { TChainTail, TFinding, TFindingCheck } from "./ledger-checks";

/** An event as exported in an audit bundle (and as read from the database for an audit). */
export type TBundleEvent = THashedEvent & {
  id: string;
  hash: string;
  /** The portal's signature over `hash` and its key's id (bundle version 2). */
  signature?: string | null;
  signedBy?: string | null;
  /**
   * `hash`: the hash the batch committed to for this event, present only when it differs from the
   * event's (changed and rehashed after anchoring); the proof is of that hash.
   */
  anchor: { batch: number; leafIndex: number; proof: string[]; hash?: string } | null;
};

/** A subject's head committed as a leaf of a batch (leaf format 2), with its inclusion proof. */
export type TBundleHead = THead & { leafIndex: number; proof: string[] };

export type TBundleBatch = {
  index: number;
  root: string;
  previousRoot: string;
  eventCount: number;
  txHash: string | null;
  status?: "PENDING" | "SENT" | "CONFIRMED";
  /** 1 (absent): leaves are the events' hashes; 2: then one head leaf per subject touched. */
  leafFormat?: number;
  /** Heads of the bundle's subjects (all heads for a whole-ledger bundle). */
  heads?: TBundleHead[];
};

const memoFor = (memos: Map<number, Map<string, string>>, batch: number) => {
  let m = memos.get(batch);
  if (!m) {
    m = new Map();
    memos.set(batch, m);
  }
  return m;
};

/**
 * Checks events without trusting their source, with the same checks as the whole-ledger audit
 * (ledger-checks.ts): each hash recomputed, each signature checked against the key history
 * (`signingKeys`, the `ledger:signing-keys` subject; without it, as for bundles from before the
 * portal signed, signatures are not checked), each subject's chain (1, 2, 3, … with every prevHash
 * naming the previous event's hash, recorded times following the sequence, anchoring in insertion
 * order), each anchored event's proof must lead to its batch root, and each subject's committed
 * heads (leaf format 2) must still be there. `onChainRoots` are the roots read from the contract
 * (one read per batch); a batch whose recorded root differs from the chain's is a finding too.
 * `wholeSubjects`: the events are each subject's complete history (so the chain must start at 1,
 * and a head with no event behind it names a deletion).
 */
export function verifyEvents(opts: {
  events: TBundleEvent[];
  batches: TBundleBatch[];
  onChainRoots: Map<number, string | null>;
  wholeSubjects: boolean;
  requireAnchored?: boolean;
  signingKeys?: TBundleEvent[] | null;
  /** Content hashes and signature answers already computed (`verifyEventsFast`), by event id. */
  precomputed?: { hashes: Map<string, string>; signatures: Map<string, boolean>; batches?: TProvenBatches };
}): { findings: TFinding[]; eventsChecked: number } {
  const findings: TFinding[] = [];
  const report = (...f: TFinding[]) => findings.push(...f);
  const batchByIndex = new Map(opts.batches.map((b) => [b.index, b]));
  const rootOf = (batch: number) => opts.onChainRoots.get(batch) ?? batchByIndex.get(batch)?.root;

  for (const b of opts.batches) checkBatchAgainstChain(b, opts.onChainRoots.get(b.index), report);

  // The key history travels with every bundle; in a whole-ledger bundle it is among the events.
  const events = [...opts.events];
  if (opts.signingKeys) {
    const ids = new Set(events.map((e) => e.id));
    for (const k of opts.signingKeys) if (!ids.has(k.id)) events.push(k);
  }

  const { headLeaf, wholeBatch } = opts.precomputed?.batches ?? proveBatches(events, opts.batches, rootOf);

  const bySubject = new Map<string, TBundleEvent[]>();
  const leavesPerBatch = new Map<number, number>();
  const memos = new Map<number, Map<string, string>>();
  const anchoredHash = new Map<string, string>();
  for (const e of events) {
    const list = bySubject.get(subjectKey(e));
    if (list) list.push(e);
    else bySubject.set(subjectKey(e), [e]);

    if (!e.anchor) {
      if (opts.requireAnchored)
        report({
          check: "not-anchored",
          eventId: e.id,
          sequence: e.sequence,
          subject: subjectKey(e),
          message: `event ${e.id} is not anchored in any batch`,
        });
      continue;
    }
    leavesPerBatch.set(e.anchor.batch, (leavesPerBatch.get(e.anchor.batch) ?? 0) + 1);
    const root = rootOf(e.anchor.batch);
    // The proof is of the hash the batch committed to; the event's own hash must then equal it
    // (ledger-checks names an event changed and rehashed after anchoring).
    const leaf = e.anchor.hash ?? e.hash;
    if (
      !wholeBatch.has(e.anchor.batch) &&
      (!root || !verifyProof(root, leaf, e.anchor.proof, memoFor(memos, e.anchor.batch)))
    ) {
      report({
        check: "proof",
        eventId: e.id,
        sequence: e.sequence,
        subject: subjectKey(e),
        batch: e.anchor.batch,
        message: `event ${e.id}: its inclusion proof does not lead to batch ${e.anchor.batch}'s on-chain root`,
      });
    } else if (leaf !== e.hash) {
      anchoredHash.set(e.id, leaf);
    }
  }

  const keys = opts.signingKeys ? keyHistory(toSigned(bySubject.get(subjectKey(SIGNING_KEYS)) ?? [])) : null;
  if (keys && keys.keys.size === 0 && opts.batches.some((b) => (b.leafFormat ?? 1) >= 2))
    report(MISSING_KEY_HISTORY);

  for (const [subject, list] of bySubject) {
    list.sort((a, b) => a.sequence - b.sequence);
    checkSubjectSlice({
      state: newSubjectState(subject),
      // Listed field by field, not spread: a spread of 100,000 bundle events (each with its proof)
      // was most of this loop's time and of its garbage collection.
      list: list.map(
        (e): TCheckedEvent => ({
          id: e.id,
          salt: e.salt,
          subjectType: e.subjectType,
          subjectId: e.subjectId,
          sequence: e.sequence,
          type: e.type,
          schemaVersion: e.schemaVersion,
          actor: e.actor,
          serverTime: e.serverTime,
          reportedTime: e.reportedTime,
          payload: e.payload,
          prevHash: e.prevHash,
          hash: e.hash,
          signature: e.signature,
          signedBy: e.signedBy,
          anchored: e.anchor !== null,
          place: e.anchor ? { batch: e.anchor.batch, leafIndex: e.anchor.leafIndex } : null,
          anchoredHash: anchoredHash.get(e.id) ?? null,
          computedHash: opts.precomputed?.hashes.get(e.id),
          signatureHolds: opts.precomputed?.signatures.get(e.id),
        }),
      ),
      wholeSubject: opts.wholeSubjects,
      report,
      keys,
    });
  }

  // The event at a head's sequence (the last of equal sequences, should two claim it): found in
  // its subject's sorted list, at its place when the history has no gap, else by search.
  const atSequence = (subject: string, sequence: number): TBundleEvent | undefined => {
    const list = bySubject.get(subject);
    if (!list) return undefined;
    const i = sequence - (list[0] as TBundleEvent).sequence;
    const e = list[i];
    if (e?.sequence === sequence && list[i + 1]?.sequence !== sequence) return e;
    return list.findLast((x) => x.sequence === sequence);
  };
  for (const b of opts.batches) {
    for (const h of b.heads ?? []) {
      const root = rootOf(b.index);
      if (
        !wholeBatch.has(b.index) &&
        (!root || !verifyProof(root, headLeaf.get(h) as string, h.proof, memoFor(memos, b.index)))
      ) {
        report({
          check: "proof",
          subject: subjectKey(h),
          sequence: h.sequence,
          batch: b.index,
          message: `batch ${b.index}: the head it committed to for ${subjectKey(h)} (#${h.sequence}) has no inclusion proof leading to the on-chain root`,
        });
      }
      if (!opts.wholeSubjects) continue;
      const subject = subjectKey(h);
      const at = atSequence(subject, h.sequence);
      const list = bySubject.get(subject);
      checkHead(
        { ...h, batch: b.index },
        {
          lastSequence: list ? (list[list.length - 1] as TBundleEvent).sequence : null,
          event: at ? { id: at.id, hash: at.hash, anchored: at.anchor !== null } : null,
        },
        report,
      );
    }
  }

  if (opts.wholeSubjects) {
    for (const b of opts.batches) {
      const seen = leavesPerBatch.get(b.index) ?? 0;
      if (seen > b.eventCount)
        report({
          check: "batch-count",
          batch: b.index,
          message: `batch ${b.index} committed to ${b.eventCount} events but ${seen} claim to be in it`,
        });
    }
  }
  return { findings, eventsChecked: opts.events.length };
}

/** Each head's leaf, and the batches proven whole (see `proveBatches`). */
type TProvenBatches = { headLeaf: Map<TBundleHead, string>; wholeBatch: Set<number> };

/**
 * A batch whose every leaf is in the bundle (a whole-ledger bundle) is proven by rebuilding its
 * root once, about ten times cheaper than a proof per leaf; any other batch is proven leaf by leaf
 * in `verifyEvents`. Precondition: `events` include the key history when it travels separately.
 */
function proveBatches(
  events: TBundleEvent[],
  batches: TBundleBatch[],
  rootOf: (batch: number) => string | undefined,
): TProvenBatches {
  const headLeaf = new Map<TBundleHead, string>();
  for (const b of batches) for (const h of b.heads ?? []) headLeaf.set(h, headCommitment(h));
  return { headLeaf, wholeBatch: provenWholeBatches(events, batches, headLeaf, rootOf) };
}

/** Batches all of whose leaves the bundle holds and whose rebuilt root is the on-chain one. */
function provenWholeBatches(
  events: TBundleEvent[],
  batches: TBundleBatch[],
  headLeaf: Map<TBundleHead, string>,
  rootOf: (batch: number) => string | undefined,
): Set<number> {
  const leaves = new Map<number, string[]>();
  for (const e of events) {
    if (!e.anchor) continue;
    const list = leaves.get(e.anchor.batch);
    if (list) list.push(e.anchor.hash ?? e.hash);
    else leaves.set(e.anchor.batch, [e.anchor.hash ?? e.hash]);
  }
  const proven = new Set<number>();
  for (const b of batches) {
    const list = leaves.get(b.index);
    const root = rootOf(b.index);
    if (!list || list.length !== b.eventCount || !root) continue;
    const all = [...list, ...(b.heads ?? []).map((h) => headLeaf.get(h) as string)];
    if (merkleRoot(all) === root.toLowerCase()) proven.add(b.index);
  }
  return proven;
}

/**
 * `verifyEvents`, with the costs split across the cores: every signature is checked in worker
 * threads (`signaturesHold`) while this thread recomputes every hash and rebuilds the batches'
 * roots; then the checks run on the answers.
 */
export async function verifyEventsFast(
  opts: Omit<Parameters<typeof verifyEvents>[0], "precomputed">,
): Promise<ReturnType<typeof verifyEvents>> {
  if (!opts.signingKeys) return verifyEvents(opts);
  const all = [...opts.events];
  const ids = new Set(all.map((e) => e.id));
  for (const k of opts.signingKeys) if (!ids.has(k.id)) all.push(k);
  const keys = keyHistory(
    toSigned(
      all.filter((e) => e.subjectType === SIGNING_KEYS.subjectType && e.subjectId === SIGNING_KEYS.subjectId),
    ),
  );
  const signatures = signaturesHold(all, keys);
  const hashes = new Map<string, string>();
  for (const e of all) hashes.set(e.id, eventHash(e));
  const batchByIndex = new Map(opts.batches.map((b) => [b.index, b]));
  const batches = proveBatches(
    all,
    opts.batches,
    (i) => opts.onChainRoots.get(i) ?? batchByIndex.get(i)?.root,
  );
  return verifyEvents({ ...opts, precomputed: { hashes, signatures: await signatures, batches } });
}

const SIGNING_KEYS = { subjectType: SIGNING_KEYS_SUBJECT.type, subjectId: SIGNING_KEYS_SUBJECT.id };

const toSigned = (list: TBundleEvent[]): TSignedEvent[] =>
  [...list]
    .sort((a, b) => a.sequence - b.sequence)
    .map((e) => ({
      ...e,
      signature: e.signature ?? null,
      signedBy: e.signedBy ?? null,
      place: e.anchor ? { batch: e.anchor.batch, leafIndex: e.anchor.leafIndex } : null,
    }));

export { leafHash };

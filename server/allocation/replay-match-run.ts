import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { lockDataKeysShared } from "@/server/consent/key-lock";
import { prisma, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { eventHash } from "@/server/ledger/hash";
import { readEventsWithProofs } from "@/server/ledger/read-events";
import { prepareCandidate, ZCandidateSchema } from "@/server/matching/engine/prepare-candidate";
import type { TMatchResult } from "@/server/matching/engine/rank-candidates";
import { RECORD_PROBLEM_MESSAGE } from "./candidate-record";
import { mayReadMatchRun } from "./match-run-access";
import { snapshotHash, ZMatchRunRecordedSchema, ZMatchSnapshotSchema } from "./match-run-snapshot";
import { excludedCount, rankedCount, rankSnapshot } from "./rank-snapshot";
import {
  STORED_HEAD,
  storedExcludedSummary,
  storedRankedRows,
  type TStoredExclusion,
  type TStoredRankedRow,
  tailRows,
} from "./stored-ranking";
import { organList, waitlistAt } from "./waitlist-state";

/** Differences a replay names before it stops comparing rows. */
const MAX_ROW_DIFFERENCES = 50;
/** Altered waiting-list events a replay names. */
const MAX_ALTERED_EVENTS_NAMED = 20;

export type TReplay = {
  matchRunId: string;
  /** The snapshot's ledger event is unchanged (hash recomputed) and the snapshot hash matches. */
  snapshotVerified: boolean;
  identical: boolean;
  differences: string[];
  ranked: number;
  excluded: number;
};

/**
 * Re-executes a recorded match run from its snapshot (in its ledger event before format 4, in the
 * run's row since, committed by the event; the event's hash is recomputed, and the snapshot's own
 * hash must match the one the event recorded) and compares
 * the ranking, row by row, with the one the portal acted on.
 */
export async function replayMatchRun({
  matchRunId,
  user,
}: {
  matchRunId: string;
  user: TSessionUser;
}): Promise<TReplay> {
  const run = await prisma.matchRun.findUnique({
    where: { id: matchRunId },
    include: { organ: { include: { donorCase: true } } },
  });
  if (!run || !mayReadMatchRun(user, run.organ.donorCase.opoId))
    throw new AppError("NOT_FOUND", "no such match run");
  const { events } = await readEventsWithProofs({ id: run.ledgerEventId });
  const event = events[0];
  if (!event) throw new AppError("CONFLICT", "the match run's ledger event is missing");
  const parsed = ZMatchRunRecordedSchema.safeParse(event.payload);
  if (!parsed.success)
    throw new AppError(
      "CONFLICT",
      "the match run's ledger event holds no readable snapshot: it cannot be replayed",
    );
  const payload = parsed.data;
  // Since format 4 the snapshot is kept in the run's row and the event commits to it by hash.
  const kept = payload.snapshot ? null : ZMatchSnapshotSchema.safeParse(run.snapshot);
  const snapshot = payload.snapshot ?? (kept?.success ? kept.data : null);
  if (!snapshot)
    throw new AppError(
      "CONFLICT",
      "the match run's snapshot is missing or unreadable: it cannot be replayed",
    );
  const differences: string[] = [];
  const eventIntact = eventHash(event) === event.hash;
  if (!eventIntact)
    differences.push("the ledger event committing to the snapshot was changed after it was recorded");
  const recomputed = snapshotHash(snapshot);
  if (recomputed !== run.snapshotHash || payload.snapshotHash !== run.snapshotHash) {
    differences.push(`snapshot hash ${recomputed} differs from the recorded ${run.snapshotHash}`);
  }
  let replayed: TMatchResult;
  if (snapshot.format === "match-run-snapshot/1") {
    const prepared = snapshot.candidates.map((c) => prepareCandidate(ZCandidateSchema.parse(c)));
    replayed = rankSnapshot(snapshot, prepared, snapshot.invalid ?? []);
  } else {
    // The waiting list rebuilt from its ledger events up to the recorded position, each re-hashed.
    const upTo = BigInt(snapshot.waitlist.upToPosition);
    // The candidates' records are opened under the data-key lock (shared): an erasure meanwhile
    // would re-wrap their keys and destroy the old KEK, and records read across it would look altered.
    const { entries, altered, erasedBefore } = await withTransaction(
      async (tx) => {
        await lockDataKeysShared(tx);
        return waitlistAt(tx, upTo);
      },
      { timeoutMs: 300_000 },
    );
    for (const id of altered.slice(0, MAX_ALTERED_EVENTS_NAMED))
      differences.push(`waiting-list event ${id} was changed after it was recorded`);
    const order = snapshot.format === "match-run-snapshot/2" ? "id" : "listing";
    const list = organList(entries, snapshot.organ.type, order);
    if (list.listed !== snapshot.waitlist.listed)
      differences.push(
        `the waiting list rebuilt from the ledger holds ${list.listed} candidates, the run read ${snapshot.waitlist.listed}`,
      );
    replayed = rankSnapshot(snapshot, list.prepared, list.invalid);
    // A candidate erased since the run cannot be ranked again: say so, rather than only "differs"
    // (one erased before it was unreadable to the run too).
    const unreadable = list.invalid.filter(
      (c) => c.message === RECORD_PROBLEM_MESSAGE.erased && !erasedBefore.has(c.candidateId),
    );
    if (unreadable.length > 0)
      differences.push(
        `${unreadable.length} candidate record(s) the run read were erased since: their rows cannot be re-checked`,
      );
  }
  const storedRanked = storedRankedRows(run);
  const replayedRanked = [...replayed.ranked, ...tailRows(replayed.tail, replayed.ranked.length)];
  const key = (r: TStoredRankedRow) => `${r.candidateId}@${r.score.toFixed(9)}`;
  const length = Math.max(storedRanked.length, replayedRanked.length);
  for (let i = 0; i < length; i++) {
    const a = storedRanked[i];
    const b = replayedRanked[i];
    if (!a || !b || key(a) !== key(b)) {
      differences.push(
        `rank ${i + 1}: recorded ${a ? `${a.candidateId} (${a.score.toFixed(4)})` : "nobody"}, replay ${b ? `${b.candidateId} (${b.score.toFixed(4)})` : "nobody"}`,
      );
      if (differences.length > MAX_ROW_DIFFERENCES) break;
    }
  }
  // Exclusions: those stored in full row by row (the run's first ones), and the count by rule of all.
  const stored = storedExcludedSummary(run.excluded);
  // Version-1 runs stored every exclusion in full; a replay keeps the first STORED_HEAD.
  const inFull = Math.min(stored.head.length, STORED_HEAD);
  const rows = (list: TStoredExclusion[]) =>
    list
      .slice(0, inFull)
      .map((e) => `${e.candidateId}:${e.code}`)
      .join();
  const head = rows(stored.head);
  const replayHead = rows(replayed.excluded);
  const replayByCode: Record<string, number> = {};
  for (const e of replayed.excluded) replayByCode[e.code] = (replayByCode[e.code] ?? 0) + 1;
  for (const [code, n] of Object.entries(replayed.excludedMore))
    replayByCode[code] = (replayByCode[code] ?? 0) + n;
  const counts = (m: Record<string, number>) =>
    Object.entries(m)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .join();
  if (head !== replayHead || counts(stored.byCode) !== counts(replayByCode))
    differences.push("the excluded candidates or their rules differ");
  return {
    matchRunId,
    snapshotVerified: eventIntact && recomputed === run.snapshotHash,
    identical: differences.length === 0,
    differences,
    ranked: rankedCount(replayed),
    excluded: excludedCount(replayed),
  };
}

import { randomUUID } from "node:crypto";
import sha3 from "js-sha3";
import type { TSessionUser } from "@/server/auth/roles";
import { readCaseConsent } from "@/server/consent/case-consent";
import { actorOf } from "@/server/consent/donor-record";
import { ORGANS } from "@/server/consent/organs";
import { canonicalBytes } from "@/server/crypto/commitment";
import { prisma, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";
import { eventHash } from "@/server/ledger/hash";
import { readEventsWithProofs } from "@/server/ledger/read-events";
import {
  prepareCandidate,
  type TCandidateInput,
  type TPreparedCandidate,
  ZCandidateSchema,
} from "@/server/matching/engine/prepare-candidate";
import { prepareDonor, type TDonor } from "@/server/matching/engine/prepare-donor";
import {
  rankCandidates,
  type TConsentScope,
  type TExcludedCandidate,
  type TMatchResult,
  type TRankedCandidate,
  type TRankedTail,
} from "@/server/matching/engine/rank-candidates";
import { ALLOCATION_POLICIES, findAllocationPolicy } from "@/server/matching/policies";
import { decodeRankingTail, encodeRankingTail, rankingTailLength } from "./ranking-tail";
import { DEFAULT_POLICY, engineDonor, type TDonorFacts } from "./records";
import { currentWaitlist, lockWaitlistForMatch, organList, waitlistAt } from "./waitlist-state";

/**
 * Everything a match run read, exactly as it read it: recorded in the ledger event before any offer
 * goes out, so anyone can re-run it later and must get the identical ranking. Version 1 copied every
 * candidate into the event; version 2 records the ledger position of the waiting list it read (the
 * list is itself on the ledger, one `candidate.recorded` event per change: waitlist-state.ts) and
 * ranks it in candidate-id order; version 3 ranks it in listing order (`organList`). The order
 * decides only which exclusions are stored in full; the ranking itself is order-free.
 */
type TSnapshotBase = {
  organ: { id: string; type: string; din: string };
  donor: TDonor;
  policy: { id: string; version: number };
  consent: TConsentScope;
  evaluatedAt: string;
};
export type TMatchSnapshot =
  | (TSnapshotBase & {
      format: "match-run-snapshot/1";
      candidates: TCandidateInput[];
      /** Listed candidates whose stored record fails the engine's rules: excluded by name. */
      invalid?: Array<{ candidateId: string; centreId: string; message: string }>;
    })
  | (TSnapshotBase & {
      format: "match-run-snapshot/2" | "match-run-snapshot/3";
      /** The waiting list as recorded up to this global ledger position; `listed` for this organ. */
      waitlist: { upToPosition: string; listed: number };
    });

/** keccak256 of the snapshot's canonical JSON (js-sha3: the same digest as any Keccak-256). */
export const snapshotHash = (snapshot: TMatchSnapshot) => `0x${sha3.keccak_256(canonicalBytes(snapshot))}`;

type TInvalid = { candidateId: string; centreId: string; message: string };

/** Ranks prepared candidates under the snapshot's policy; invalid records are excluded by name. */
function rankPrepared(snapshot: TSnapshotBase, candidates: TPreparedCandidate[], invalid: TInvalid[]) {
  const policy = findAllocationPolicy(snapshot.policy.id, snapshot.policy.version);
  if (!policy)
    throw new AppError(
      "CONFLICT",
      `policy ${snapshot.policy.id} v${snapshot.policy.version} is not known to this portal`,
    );
  const result = rankCandidates({
    donor: prepareDonor(snapshot.donor),
    organ: snapshot.organ.type as TMatchResult["organ"],
    candidates,
    policy,
    now: new Date(snapshot.evaluatedAt),
    consent: snapshot.consent,
    // The stored head keeps its "why here" and messages; a replay compares every row by id and score.
    detail: HEAD,
  });
  for (const i of invalid) {
    if (result.excluded.length >= HEAD) {
      result.excludedMore.MISSING_DATA = (result.excludedMore.MISSING_DATA ?? 0) + 1;
      continue;
    }
    result.excluded.push({
      candidateId: i.candidateId,
      centreId: i.centreId,
      code: "MISSING_DATA",
      message: `The waiting-list record fails validation (${i.message}); the centre must correct it.`,
    });
  }
  return result;
}

/**
 * Rows kept in full (with their breakdown) in a stored ranking, and exclusions kept with their
 * message; the rest of the ranking is packed in `rankingTail` (ranking-tail.ts), the rest of the
 * exclusions counted by rule.
 */
const HEAD = 500;

export type TStoredRanking = {
  offer: TMatchResult["offer"];
  refusal: TMatchResult["refusal"];
  ranked: TRankedCandidate[];
  /** Runs recorded before the packed `rankingTail` column: the tail as [id, centre, score, nm]. */
  tail?: Array<[string, string, number, number]>;
};
/**
 * Excluded candidates as stored: all of them (older runs), or the first HEAD in full and how many
 * of the rest each rule excluded — a replay re-derives every one from the snapshot.
 */
type TStoredExcluded = TExcludedCandidate[] | { head: TExcludedCandidate[]; more: Record<string, number> };

/** The rows of a ranking's tail, ranked after `head` rows, without their breakdown. */
function tailRows(tail: TRankedTail, head: number): TRankedCandidate[] {
  return tail.candidateIds.map((candidateId, i) => ({
    rank: head + i + 1,
    candidateId,
    centreId: tail.centreIds[i] as string,
    score: tail.scores[i] as number,
    distanceNm: tail.distancesNm[i] as number,
    tier: null,
    aboMatch: null as never,
    hlaMismatch: null as never,
    breakdown: [],
  }));
}

/** Every ranked row of a stored run, in rank order (tail rows without their breakdown). */
export function storedRankedRows(run: { ranking: unknown; rankingTail: Uint8Array | null }) {
  const ranking = run.ranking as TStoredRanking;
  const head = ranking.ranked.length;
  if (run.rankingTail) return [...ranking.ranked, ...tailRows(decodeRankingTail(run.rankingTail), head)];
  const legacy = ranking.tail ?? [];
  return [
    ...ranking.ranked,
    ...tailRows(
      {
        candidateIds: legacy.map((r) => r[0]),
        centreIds: legacy.map((r) => r[1]),
        scores: Float64Array.from(legacy, (r) => r[2]),
        distancesNm: Float64Array.from(legacy, (r) => r[3]),
      },
      head,
    ),
  ];
}

/**
 * A stored run's ranking: the head at hand, the total, and every row on demand. The packed tail
 * (tens of thousands of rows at 100,000 candidates) is decoded only when the head does not hold
 * what a caller looks for: most page views and offers stay within the top 500.
 */
export function storedRanking(run: { ranking: unknown; rankingTail: Uint8Array | null }) {
  const stored = run.ranking as TStoredRanking;
  const head = stored.ranked;
  const tailLength = run.rankingTail ? rankingTailLength(run.rankingTail) : (stored.tail?.length ?? 0);
  let rows: TRankedCandidate[] | null = null;
  /** Every row, in rank order (decoded once). */
  const all = () => {
    rows ??= tailLength === 0 ? head : storedRankedRows(run);
    return rows;
  };
  /** The head when it holds every given candidate, else every row. */
  const holding = (candidateIds: Iterable<string>) => {
    const inHead = new Set(head.map((r) => r.candidateId));
    for (const id of candidateIds) if (!inHead.has(id)) return all();
    return head;
  };
  return { stored, head, total: head.length + tailLength, all, holding };
}

const rankedCount = (r: TMatchResult) => r.ranked.length + r.tail.candidateIds.length;
const excludedCount = (r: TMatchResult) =>
  r.excluded.length + Object.values(r.excludedMore).reduce((a, b) => a + b, 0);

/** The stored exclusions: those kept in full, and counts by rule of every exclusion. */
function storedExcludedSummary(excluded: TStoredExcluded) {
  const head = Array.isArray(excluded) ? excluded : excluded.head;
  const byCode: Record<string, number> = {};
  for (const e of head) byCode[e.code] = (byCode[e.code] ?? 0) + 1;
  if (!Array.isArray(excluded))
    for (const [code, n] of Object.entries(excluded.more)) byCode[code] = (byCode[code] ?? 0) + n;
  const total = Object.values(byCode).reduce((a, b) => a + b, 0);
  return { head, byCode, total };
}

/**
 * Runs the match for one organ of the caller's OPO: every candidate listed for the organ type
 * (inactive ones are excluded by rule, so the record says why), under the organ's policy, within
 * the consent the case relies on. Snapshot, ranking and ledger event commit together.
 */
export async function runMatch({
  organId,
  policyId: requestedPolicy,
  user,
  now = new Date(),
}: {
  organId: string;
  /** A shipped policy for the organ type; the organ type's default when omitted. */
  policyId?: string;
  user: TSessionUser;
  now?: Date;
}) {
  return withTransaction(
    async (tx) => {
      const organ = await tx.organ.findUnique({
        where: { id: organId },
        include: { donorCase: { include: { opo: true } } },
      });
      if (!organ || organ.donorCase.opoId !== user.organisationId)
        throw new AppError("NOT_FOUND", "no such organ in your OPO's cases");
      if (organ.acceptedOfferId) throw new AppError("CONFLICT", "this organ is already allocated");
      const policyId = requestedPolicy ?? DEFAULT_POLICY[organ.type];
      const policy = policyId ? findAllocationPolicy(policyId) : null;
      if (!policy || policy.organ !== organ.type) {
        const choices = ALLOCATION_POLICIES.filter((p) => p.organ === organ.type).map((p) => p.id);
        throw new AppError(
          "BAD_REQUEST",
          choices.length
            ? `policyId: ${organ.type.toLowerCase()} is allocated under ${choices.join(" or ")}`
            : `no allocation policy for ${organ.type.toLowerCase()} in this portal`,
          { policyId: choices.length ? `choose ${choices.join(" or ")}` : "no policy for this organ" },
        );
      }

      let consent: TConsentScope = { organs: [], purposes: [] };
      if (organ.donorCase.consentVersionId) {
        const c = await readCaseConsent({ tx, consentVersionId: organ.donorCase.consentVersionId });
        if (c.status === "IN_FORCE" && c.decision && c.decision.decision !== "OBJECTION") {
          consent = {
            organs: c.decision.decision === "DONATE_ALL" ? [...ORGANS] : c.decision.organs,
            purposes: c.decision.purposes,
          };
        }
      }
      // No waiting-list write is in flight while this runs: the list read is exactly the ledger's.
      await lockWaitlistForMatch(tx);
      const waitlist = await currentWaitlist(tx);
      const { listed, prepared, invalid } = waitlist.list(organ.type);
      const snapshot: TMatchSnapshot = {
        format: "match-run-snapshot/3",
        organ: { id: organ.id, type: organ.type, din: organ.din },
        donor: engineDonor(organ.donorCase.code, organ.donorCase.donor as TDonorFacts, organ.donorCase.opo),
        policy: { id: policy.id, version: policy.version },
        consent,
        evaluatedAt: now.toISOString(),
        waitlist: { upToPosition: waitlist.position.toString(), listed },
      };
      const result = rankPrepared(snapshot, prepared, invalid);
      if (result.refusal) throw new AppError("PRECONDITION_FAILED", result.refusal.message);
      const hash = snapshotHash(snapshot);
      const id = randomUUID();
      const event = await appendEvent({
        tx,
        subject: { type: "match_run", id },
        type: "match_run.recorded",
        payload: {
          matchRunId: id,
          organId: organ.id,
          policy: snapshot.policy,
          snapshotHash: hash,
          snapshot,
          rankedCount: rankedCount(result),
          excludedCount: excludedCount(result),
        },
        actor: actorOf(user),
        now,
      });
      const ranking: TStoredRanking = { offer: result.offer, refusal: result.refusal, ranked: result.ranked };
      const excluded: TStoredExcluded = { head: result.excluded, more: result.excludedMore };
      // Raw SQL with JSON text: Prisma's serialiser walking thousands of rows costs more than the insert.
      await tx.$executeRaw`
        INSERT INTO "MatchRun" (id, "organId", "policyId", "policyVersion", ranking, "rankingTail",
          excluded, "snapshotHash", "ledgerEventId", "createdById", "createdAt")
        VALUES (${id}::uuid, ${organ.id}::uuid, ${policy.id}, ${policy.version},
          ${JSON.stringify(ranking)}::json, ${encodeRankingTail(result.tail)},
          ${JSON.stringify(excluded)}::json, ${hash},
          ${event.id}::uuid, ${user.id}, ${now})`;
      return {
        matchRunId: id,
        ledgerEventId: event.id,
        ranked: rankedCount(result),
        excluded: excludedCount(result),
      };
    },
    { timeoutMs: 60_000 },
  );
}

/** A match run with candidate codes and centre names beside the engine's rows. */
export async function getMatchRun({
  matchRunId,
  user,
  limit = 200,
}: {
  matchRunId: string;
  user: TSessionUser;
  /** Rows of each list returned (the ranking's head, where offers go); totals are always given. */
  limit?: number;
}) {
  const run = await prisma.matchRun.findUnique({
    where: { id: matchRunId },
    include: { organ: { include: { donorCase: { select: { opoId: true, code: true } } } }, offers: true },
  });
  const mayRead =
    user.role === "REGULATOR" || user.role === "ADMIN" || run?.organ.donorCase.opoId === user.organisationId;
  if (!run || !mayRead) throw new AppError("NOT_FOUND", "no such match run");
  const stored = storedRanking(run);
  const excludedSummary = storedExcludedSummary(run.excluded as unknown as TStoredExcluded);
  // Offered rows stay in view even when ranked below the head (an out-of-sequence offer).
  const offered = new Set(run.offers.map((o) => o.candidateId));
  const rows = limit > stored.head.length ? stored.all() : stored.holding(offered);
  const ranking = {
    ...stored.stored,
    ranked: rows.filter((r, i) => i < limit || offered.has(r.candidateId)),
  };
  const excluded = excludedSummary.head.slice(0, limit);
  const ids = [
    ...new Set([...ranking.ranked.map((r) => r.candidateId), ...excluded.map((e) => e.candidateId)]),
  ];
  const [candidates, centres] = await Promise.all([
    prisma.candidate.findMany({ where: { id: { in: ids } }, select: { id: true, code: true } }),
    prisma.organisation.findMany({ where: { kind: "TRANSPLANT_CENTER" }, select: { id: true, name: true } }),
  ]);
  const codeOf = new Map(candidates.map((c) => [c.id, c.code]));
  const centreOf = new Map(centres.map((c) => [c.id, c.name]));
  const offerOf = new Map(run.offers.map((o) => [o.candidateId, o]));
  return {
    matchRunId: run.id,
    organ: {
      id: run.organ.id,
      type: run.organ.type,
      din: run.organ.din,
      status: run.organ.status,
      caseCode: run.organ.donorCase.code,
    },
    policy: { id: run.policyId, version: run.policyVersion },
    createdAt: run.createdAt,
    snapshotHash: run.snapshotHash,
    ledgerEventId: run.ledgerEventId,
    offerMode: ranking.offer,
    rankedTotal: stored.total,
    excludedTotal: excludedSummary.total,
    ranked: ranking.ranked.map((r) => {
      const offer = offerOf.get(r.candidateId);
      return {
        ...r,
        candidateCode: codeOf.get(r.candidateId) ?? r.candidateId,
        centre: centreOf.get(r.centreId) ?? r.centreId,
        offer: offer
          ? { id: offer.id, status: offer.status, deadline: offer.deadline, bypassReason: offer.bypassReason }
          : null,
      };
    }),
    excluded: excluded.map((e) => ({ ...e, candidateCode: codeOf.get(e.candidateId) ?? e.candidateId })),
  };
}

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
 * Re-executes a recorded match run from the snapshot in its ledger event (checked unchanged: the
 * event's hash is recomputed, and the snapshot's own hash must match the one recorded) and compares
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
  const mayRead =
    user.role === "REGULATOR" || user.role === "ADMIN" || run?.organ.donorCase.opoId === user.organisationId;
  if (!run || !mayRead) throw new AppError("NOT_FOUND", "no such match run");
  const { events } = await readEventsWithProofs({ id: run.ledgerEventId });
  const event = events[0];
  if (!event) throw new AppError("CONFLICT", "the match run's ledger event is missing");
  const payload = event.payload as { snapshot: TMatchSnapshot; snapshotHash: string };
  const differences: string[] = [];
  const eventIntact = eventHash(event) === event.hash;
  if (!eventIntact)
    differences.push("the ledger event holding the snapshot was changed after it was recorded");
  const recomputed = snapshotHash(payload.snapshot);
  if (recomputed !== run.snapshotHash || payload.snapshotHash !== run.snapshotHash) {
    differences.push(`snapshot hash ${recomputed} differs from the recorded ${run.snapshotHash}`);
  }
  let replayed: TMatchResult;
  const snapshot = payload.snapshot;
  if (snapshot.format === "match-run-snapshot/1") {
    const prepared = snapshot.candidates.map((c) => prepareCandidate(ZCandidateSchema.parse(c)));
    replayed = rankPrepared(snapshot, prepared, snapshot.invalid ?? []);
  } else {
    // The waiting list rebuilt from its ledger events up to the recorded position, each re-hashed.
    const { entries, altered } = await waitlistAt(prisma, BigInt(snapshot.waitlist.upToPosition));
    for (const id of altered.slice(0, 20))
      differences.push(`waiting-list event ${id} was changed after it was recorded`);
    const order = snapshot.format === "match-run-snapshot/2" ? "id" : "listing";
    const list = organList(entries, snapshot.organ.type, order);
    if (list.listed !== snapshot.waitlist.listed)
      differences.push(
        `the waiting list rebuilt from the ledger holds ${list.listed} candidates, the run read ${snapshot.waitlist.listed}`,
      );
    replayed = rankPrepared(snapshot, list.prepared, list.invalid);
  }
  const storedRanked = storedRankedRows(run);
  const replayedRanked = [...replayed.ranked, ...tailRows(replayed.tail, replayed.ranked.length)];
  const key = (r: TRankedCandidate) => `${r.candidateId}@${r.score.toFixed(9)}`;
  const length = Math.max(storedRanked.length, replayedRanked.length);
  for (let i = 0; i < length; i++) {
    const a = storedRanked[i];
    const b = replayedRanked[i];
    if (!a || !b || key(a) !== key(b)) {
      differences.push(
        `rank ${i + 1}: recorded ${a ? `${a.candidateId} (${a.score.toFixed(4)})` : "nobody"}, replay ${b ? `${b.candidateId} (${b.score.toFixed(4)})` : "nobody"}`,
      );
      if (differences.length > 50) break;
    }
  }
  // Exclusions: those stored in full row by row (the run's first ones), and the count by rule of all.
  const stored = storedExcludedSummary(run.excluded as unknown as TStoredExcluded);
  // Version-1 runs stored every exclusion in full; a replay keeps the first HEAD.
  const inFull = Math.min(stored.head.length, HEAD);
  const rows = (list: TExcludedCandidate[]) =>
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

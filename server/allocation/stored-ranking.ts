import { z } from "zod";
import type {
  TExcludedCandidate,
  TRankedCandidate,
  TRankedTail,
} from "@/server/matching/engine/rank-candidates";
import { decodeRankingTail, rankingTailLength } from "./ranking-tail";

/**
 * How a match run's result is stored: `MatchRun.ranking` (json) holds the offer mode and the first
 * STORED_HEAD rows in full, with their breakdown; the rest of the ranking is packed in
 * `MatchRun.rankingTail` (ranking-tail.ts). `MatchRun.excluded` holds the first STORED_HEAD
 * exclusions with their message and counts by rule of the rest. Both columns are parsed here, so a
 * reader never trusts a cast.
 */

/** Rows kept in full (with their breakdown) in a stored ranking, and exclusions kept with their message. */
export const STORED_HEAD = 500;

/** One line of a row's "why here": an attribute's raw and normalised value, weight and points. */
export const ZScoreLineSchema = z.looseObject({
  attribute: z.string(),
  group: z.string(),
  raw: z.number().nullable(),
  normalised: z.number(),
  weight: z.number(),
  points: z.number(),
});

/** A ranked row as stored; rows read back from the packed tail have no ABO/HLA detail nor breakdown. */
const ZStoredRankedRowSchema = z.looseObject({
  rank: z.number().int().positive(),
  candidateId: z.string(),
  centreId: z.string(),
  tier: z.object({ id: z.string(), label: z.string() }).nullable(),
  aboMatch: z.unknown(),
  hlaMismatch: z.unknown(),
  distanceNm: z.number(),
  score: z.number(),
  breakdown: z.array(ZScoreLineSchema),
});
export type TStoredRankedRow = z.output<typeof ZStoredRankedRowSchema>;

export const ZOfferModeSchema = z.object({
  mode: z.enum(["sequential", "topN"]),
  topN: z.number().int().min(0),
  responseMinutes: z.number().min(0),
});

export const ZStoredRankingSchema = z.object({
  offer: ZOfferModeSchema,
  refusal: z.object({ code: z.literal("CONSENT_NOT_COVERED"), message: z.string() }).nullable(),
  ranked: z.array(ZStoredRankedRowSchema),
  /** Runs recorded before the packed `rankingTail` column: the tail as [id, centre, score, nm]. */
  tail: z.array(z.tuple([z.string(), z.string(), z.number(), z.number()])).optional(),
});
export type TStoredRanking = z.output<typeof ZStoredRankingSchema>;

const ZStoredExclusionSchema = z.looseObject({
  candidateId: z.string(),
  centreId: z.string(),
  code: z.string(),
  message: z.string(),
});
export type TStoredExclusion = z.output<typeof ZStoredExclusionSchema>;

/**
 * Excluded candidates as stored: all of them (older runs), or the first STORED_HEAD in full and how
 * many of the rest each rule excluded — a replay re-derives every one from the snapshot.
 */
export const ZStoredExcludedSchema = z.union([
  z.array(ZStoredExclusionSchema),
  z.object({ head: z.array(ZStoredExclusionSchema), more: z.record(z.string(), z.number()) }),
]);
export type TStoredExcluded = z.output<typeof ZStoredExcludedSchema>;

/** The stored ranking of a run as written (the engine's result narrowed to what is kept). */
export function toStoredRanking(result: {
  offer: TStoredRanking["offer"];
  refusal: TStoredRanking["refusal"];
  ranked: TRankedCandidate[];
}): TStoredRanking {
  return { offer: result.offer, refusal: result.refusal, ranked: result.ranked };
}

/** The stored exclusions of a run as written. */
export const toStoredExcluded = (
  head: TExcludedCandidate[],
  more: Record<string, number>,
): TStoredExcluded => ({
  head,
  more,
});

/** The rows of a ranking's tail, ranked after `head` rows, without their breakdown. */
export function tailRows(tail: TRankedTail, head: number): TStoredRankedRow[] {
  return tail.candidateIds.map((candidateId, i) => ({
    rank: head + i + 1,
    candidateId,
    centreId: tail.centreIds[i] ?? "",
    score: tail.scores[i] ?? 0,
    distanceNm: tail.distancesNm[i] ?? 0,
    tier: null,
    aboMatch: null,
    hlaMismatch: null,
    breakdown: [],
  }));
}

type TStoredRun = { ranking: unknown; rankingTail: Uint8Array | null };

/** Parses a run's `ranking` column. */
export const parseStoredRanking = (run: { ranking: unknown }): TStoredRanking =>
  ZStoredRankingSchema.parse(run.ranking);

/** Every ranked row of a stored run, in rank order (tail rows without their breakdown). */
export function storedRankedRows(run: TStoredRun, stored: TStoredRanking = parseStoredRanking(run)) {
  const head = stored.ranked.length;
  if (run.rankingTail) return [...stored.ranked, ...tailRows(decodeRankingTail(run.rankingTail), head)];
  const legacy = stored.tail ?? [];
  return [
    ...stored.ranked,
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
 * what a caller looks for: most page views and offers stay within the top STORED_HEAD.
 */
export function storedRanking(run: TStoredRun) {
  const stored = parseStoredRanking(run);
  const head = stored.ranked;
  const tailLength = run.rankingTail ? rankingTailLength(run.rankingTail) : (stored.tail?.length ?? 0);
  let rows: TStoredRankedRow[] | null = null;
  /** Every row, in rank order (decoded once). */
  const all = () => {
    rows ??= tailLength === 0 ? head : storedRankedRows(run, stored);
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

/** The stored exclusions: those kept in full, and counts by rule of every exclusion. */
export function storedExcludedSummary(column: unknown) {
  const excluded = ZStoredExcludedSchema.parse(column);
  const head = Array.isArray(excluded) ? excluded : excluded.head;
  const byCode: Record<string, number> = {};
  for (const e of head) byCode[e.code] = (byCode[e.code] ?? 0) + 1;
  if (!Array.isArray(excluded))
    for (const [code, n] of Object.entries(excluded.more)) byCode[code] = (byCode[code] ?? 0) + n;
  const total = Object.values(byCode).reduce((a, b) => a + b, 0);
  return { head, byCode, total };
}

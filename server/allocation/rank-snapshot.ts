import { AppError } from "@/server/errors";
import type { TPreparedCandidate } from "@/server/matching/engine/prepare-candidate";
import { prepareDonor } from "@/server/matching/engine/prepare-donor";
import { rankCandidates, type TMatchResult } from "@/server/matching/engine/rank-candidates";
import { findAllocationPolicy } from "@/server/matching/policies";
import type { TInvalidCandidate, TSnapshotBase } from "./match-run-snapshot";
import { STORED_HEAD } from "./stored-ranking";

/**
 * Ranks prepared candidates under the snapshot's policy, as a run and its replay both do; listed
 * candidates whose record fails validation are excluded by name (MISSING_DATA).
 */
export function rankSnapshot(
  snapshot: TSnapshotBase,
  candidates: TPreparedCandidate[],
  invalid: TInvalidCandidate[],
): TMatchResult {
  const policy = findAllocationPolicy(snapshot.policy.id, snapshot.policy.version);
  if (!policy)
    throw new AppError(
      "CONFLICT",
      `policy ${snapshot.policy.id} v${snapshot.policy.version} is not known to this portal`,
    );
  const result = rankCandidates({
    donor: prepareDonor(snapshot.donor),
    organ: snapshot.organ.type,
    candidates,
    policy,
    now: new Date(snapshot.evaluatedAt),
    consent: snapshot.consent,
    // The stored head keeps its "why here" and messages; a replay compares every row by id and score.
    detail: STORED_HEAD,
  });
  for (const i of invalid) {
    if (result.excluded.length >= STORED_HEAD) {
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

/** Candidates a result ranked, head and tail. */
export const rankedCount = (r: TMatchResult) => r.ranked.length + r.tail.candidateIds.length;

/** Candidates a result excluded, in full and counted. */
export const excludedCount = (r: TMatchResult) =>
  r.excluded.length + Object.values(r.excludedMore).reduce((a, b) => a + b, 0);

import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { prisma } from "@/server/db";
import { AppError } from "@/server/errors";
import { mayReadMatchRun } from "./match-run-access";
import { offerTexts } from "./offer-notes";
import { storedExcludedSummary, storedRanking } from "./stored-ranking";

/** Rows of each list a match run's page shows by default (the ranking's head, where offers go). */
export const MATCH_RUN_PAGE_ROWS = 200;

/** A match run with candidate codes and centre names beside the engine's rows. */
export async function getMatchRun({
  matchRunId,
  user,
  limit = MATCH_RUN_PAGE_ROWS,
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
  if (!run || !mayReadMatchRun(user, run.organ.donorCase.opoId))
    throw new AppError("NOT_FOUND", "no such match run");
  const stored = storedRanking(run);
  const excludedSummary = storedExcludedSummary(run.excluded);
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
  const texts = await offerTexts(run.offers);
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
          ? {
              id: offer.id,
              status: offer.status,
              deadline: offer.deadline,
              bypassReason: texts.get(offer.id)?.bypassReason ?? null,
              hasNote: texts.get(offer.id)?.hasNote ?? false,
            }
          : null,
      };
    }),
    excluded: excluded.map((e) => ({ ...e, candidateCode: codeOf.get(e.candidateId) ?? e.candidateId })),
  };
}

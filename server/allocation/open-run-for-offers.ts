import "server-only";

import type { Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import type { TOfferingRun } from "./create-offers";
import { lockOrgan } from "./lock-organ";
import { storedRanking } from "./stored-ranking";

/**
 * A match run about to offer its organ, under the organ's row lock: the organ must not be
 * allocated nor have an offer open. Returns the run and its organ (`TOfferingRun`), its ranked
 * rows (`storedRanking`) and who was offered already.
 */
export async function openRunForOffers(tx: Tx, matchRunId: string) {
  const run = await tx.matchRun.findUnique({
    where: { id: matchRunId },
    include: { organ: { include: { donorCase: true } } },
  });
  if (!run) throw new AppError("NOT_FOUND", "no such match run");
  await lockOrgan(tx, run.organId);
  const organ = await tx.organ.findUniqueOrThrow({ where: { id: run.organId } });
  if (organ.acceptedOfferId) throw new AppError("CONFLICT", "this organ is already allocated");
  if (await tx.offer.count({ where: { organId: organ.id, status: "PENDING" } })) {
    throw new AppError("CONFLICT", "an offer for this organ is still open: wait for its answer or deadline");
  }
  const ranked = storedRanking(run);
  const offered = new Set(
    (await tx.offer.findMany({ where: { matchRunId: run.id }, select: { candidateId: true } })).map(
      (o) => o.candidateId,
    ),
  );
  const offering: TOfferingRun = {
    run: { id: run.id, ranking: ranked.stored },
    organ: { id: organ.id, type: organ.type, din: organ.din, opoId: run.organ.donorCase.opoId },
  };
  return { ranked, offered, ...offering };
}

import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { prisma } from "@/server/db";
import { AppError } from "@/server/errors";

/** Refuses (as not found) a match run of another OPO's case. */
export async function assertOpoOwnsRun(matchRunId: string, user: TSessionUser) {
  const run = await prisma.matchRun.findUnique({
    where: { id: matchRunId },
    select: { organ: { select: { donorCase: { select: { opoId: true } } } } },
  });
  if (!run || run.organ.donorCase.opoId !== user.organisationId)
    throw new AppError("NOT_FOUND", "no such match run in your OPO's cases");
}

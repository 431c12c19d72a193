import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { prisma, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";
import {
  DONOR_LAB_TEST_CODES,
  labTrend,
  type TDonorLabTest,
  type TLabPoint,
  type TLabTrend,
  type TRecordDonorLab,
  takenAtProblem,
} from "./donor-labs";
import { ZDonorFactsSchema } from "./records";

/**
 * The OPO records a lab result for one of its open donor cases, with a `donor_lab.recorded`
 * ledger event in the same transaction. The case row is locked, so a close cannot slip between
 * the check and the write.
 */
export async function recordDonorLab(opts: { input: TRecordDonorLab; user: TSessionUser; now?: Date }) {
  const { input, user } = opts;
  const now = opts.now ?? new Date();
  return withTransaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM "DonorCase" WHERE id = ${input.donorCaseId}::uuid FOR UPDATE`;
    const c = await tx.donorCase.findUnique({
      where: { id: input.donorCaseId },
      select: { id: true, opoId: true, status: true, openedAt: true },
    });
    if (!c || c.opoId !== user.organisationId)
      throw new AppError("NOT_FOUND", "donorCaseId: no such donor case");
    if (c.status === "CLOSED")
      throw new AppError("CONFLICT", "donorCaseId: this case is closed; no result can be added");
    const problem = takenAtProblem(input.takenAt, c.openedAt, now);
    if (problem) throw new AppError("BAD_REQUEST", problem, { takenAt: problem });
    const lab = await tx.donorLabResult.create({
      data: {
        donorCaseId: c.id,
        test: input.test,
        value: input.value,
        takenAt: input.takenAt,
        recordedById: user.id,
        recordedAt: now,
      },
    });
    await appendEvent({
      tx,
      subject: { type: "donor_case", id: c.id },
      type: "donor_lab.recorded",
      payload: {
        donorCaseId: c.id,
        labResultId: lab.id,
        test: input.test,
        value: input.value,
        takenAt: input.takenAt.toISOString(),
      },
      actor: { userId: user.id, role: user.role, orgId: user.organisationId },
      now,
    });
    return { labResultId: lab.id, test: input.test, value: input.value, takenAt: input.takenAt };
  });
}

/**
 * Every test's series for a case, oldest first; creatinine starts with the value given at
 * referral (at the case's opening), so the first later result already shows a direction.
 */
export async function donorLabTrends(donorCase: {
  id: string;
  openedAt: Date;
  donor: unknown;
}): Promise<TLabTrend[]> {
  const rows = await prisma.donorLabResult.findMany({
    where: { donorCaseId: donorCase.id },
    orderBy: { takenAt: "asc" },
    select: { test: true, value: true, takenAt: true },
  });
  const facts = ZDonorFactsSchema.safeParse(donorCase.donor);
  const referral = facts.success ? facts.data.creatinineMgDl : null;
  return DONOR_LAB_TEST_CODES.flatMap((test: TDonorLabTest) => {
    const points: TLabPoint[] = rows
      .filter((r) => r.test === test)
      .map((r) => ({ value: r.value, takenAt: r.takenAt }));
    if (test === "CREATININE" && referral !== null)
      points.unshift({ value: referral, takenAt: donorCase.openedAt, atReferral: true });
    const trend = labTrend(test, points);
    return trend ? [trend] : [];
  });
}

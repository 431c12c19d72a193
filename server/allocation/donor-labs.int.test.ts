import { describe, expect, it } from "vitest";
import { prisma } from "@/server/db";
import {
  callerFor,
  familyAuthorisation,
  kidneyCandidate,
  openDonorCase,
  refusal,
} from "@/test/factories/allocation-factory";
import type { TStaff } from "@/test/factories/organ-factory";
import { setUpIsolatedStaff } from "@/test/setup/isolated-staff";

let opo: TStaff;
let otherOpo: TStaff;
let centre: TStaff;

setUpIsolatedStaff("labs", ["OPO", "OPO", "TRANSPLANT_CENTER"], (staff) => {
  [opo, otherOpo, centre] = staff;
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

describe("donor labs after referral", () => {
  it("the OPO records results; the case and the centre's offer sheet show the trend; each is a ledger event", async () => {
    const { id: candidateId } = await callerFor(centre).waitlist.add(kidneyCandidate());
    const receipt = await familyAuthorisation(opo);
    const opened = await openDonorCase(opo, { receipt, donor: { creatinineMgDl: 1.2 } });
    const donorCaseId = opened.donorCaseId;
    const organId = opened.organs[0]?.id as string;
    // Referred two hours ago: the results below follow it.
    await prisma.donorCase.update({ where: { id: donorCaseId }, data: { openedAt: hoursAgo(2) } });

    await callerFor(opo).donorCase.recordLab({
      donorCaseId,
      test: "CREATININE",
      value: 1.6,
      takenAt: hoursAgo(0.5),
    });
    await callerFor(opo).donorCase.recordLab({
      donorCaseId,
      test: "CREATININE",
      value: 2.1,
      takenAt: hoursAgo(0.1),
    });
    await callerFor(opo).donorCase.recordLab({ donorCaseId, test: "ALT", value: 40, takenAt: hoursAgo(0.2) });

    const c = await callerFor(opo).donorCase.get({ id: donorCaseId });
    const creatinine = c.labs.find((l) => l.test === "CREATININE");
    expect(creatinine?.points.map((p) => p.value)).toEqual([1.2, 1.6, 2.1]);
    expect(creatinine?.points[0]?.atReferral).toBe(true);
    expect(creatinine).toMatchObject({ direction: "rising", changePercent: 31, latest: { value: 2.1 } });
    expect(c.labs.find((l) => l.test === "ALT")).toMatchObject({ direction: null, latest: { value: 40 } });

    const run = await callerFor(opo).matchRun.run({ organId });
    await callerFor(opo).offer.sendNext({ matchRunId: run.matchRunId });
    const offer = await prisma.offer.findFirstOrThrow({ where: { organId, candidateId } });
    const sheet = await callerFor(centre).offer.sheet({ offerId: offer.id });
    expect(sheet.donor.labs.find((l) => l.test === "CREATININE")?.direction).toBe("rising");

    const events = await prisma.ledgerEvent.findMany({
      where: { subjectId: donorCaseId, type: "donor_lab.recorded" },
      orderBy: { sequence: "asc" },
    });
    expect(events.map((e) => (e.payload as { test: string }).test)).toEqual([
      "CREATININE",
      "CREATININE",
      "ALT",
    ]);
  });

  it("refuses another OPO's case, values out of range, future times and closed cases, naming the field", async () => {
    const opened = await openDonorCase(opo, { receipt: await familyAuthorisation(opo) });
    const donorCaseId = opened.donorCaseId;
    const before = await prisma.donorLabResult.count();

    const foreign = await refusal(
      callerFor(otherOpo).donorCase.recordLab({
        donorCaseId,
        test: "SODIUM",
        value: 140,
        takenAt: new Date(),
      }),
    );
    expect(foreign.code).toBe("NOT_FOUND");
    const high = await refusal(
      callerFor(opo).donorCase.recordLab({ donorCaseId, test: "CREATININE", value: 80, takenAt: new Date() }),
    );
    expect(high.fieldErrors?.value).toBe("creatinine is 0.1–25 mg/dL");
    const future = await refusal(
      callerFor(opo).donorCase.recordLab({
        donorCaseId,
        test: "SODIUM",
        value: 140,
        takenAt: new Date(Date.now() + 3_600_000),
      }),
    );
    expect(future.fieldErrors?.takenAt).toBe("takenAt cannot be in the future");
    const ancient = await refusal(
      callerFor(opo).donorCase.recordLab({
        donorCaseId,
        test: "SODIUM",
        value: 140,
        takenAt: hoursAgo(24 * 30),
      }),
    );
    expect(ancient.fieldErrors?.takenAt).toMatch(/14 days before the referral/);
    await expect(
      callerFor(centre).donorCase.recordLab({ donorCaseId, test: "SODIUM", value: 140, takenAt: new Date() }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    await callerFor(opo).donorCase.close({ donorCaseId, reasonCode: "NO_SUITABLE_RECIPIENT" });
    const closed = await refusal(
      callerFor(opo).donorCase.recordLab({ donorCaseId, test: "SODIUM", value: 140, takenAt: new Date() }),
    );
    expect(closed.code).toBe("CONFLICT");
    expect(await prisma.donorLabResult.count()).toBe(before);
  });
});

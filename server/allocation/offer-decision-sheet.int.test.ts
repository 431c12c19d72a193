import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/server/db";
import {
  callerFor,
  familyAuthorisation,
  kidneyCandidate,
  openDonorCase,
  refusal,
} from "@/test/factories/allocation-factory";
import { createStaff, type TStaff } from "@/test/factories/organ-factory";
import { usePortalOnIsolatedDatabase } from "@/test/setup/isolated-db";

let db: Awaited<ReturnType<typeof usePortalOnIsolatedDatabase>>;
let opo: TStaff;
let centre: TStaff;
let otherCentre: TStaff;

beforeAll(async () => {
  db = await usePortalOnIsolatedDatabase("sheet");
  [opo, centre, otherCentre] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
  ]);
}, 120_000);
afterAll(async () => {
  await db.drop();
});

describe("the offer as a decision sheet", () => {
  it("shows the centre what it decides on: HLA with this candidate's mismatches, serology, labs, size, ischemia, restrictions", async () => {
    // Candidate shares A1, B8 and DR4 with the donor (A1 A2, B8 B44, DR4 DR15): one mismatch per locus.
    const { id: candidateId } = await callerFor(centre).waitlist.add(
      kidneyCandidate({ hla: { A: ["A1", "A3"], B: ["B8", "B7"], C: [], DR: ["DR4", "DR1"], DQ: [] } }),
    );
    const receipt = await familyAuthorisation(opo, { restrictions: "Not for research; transplant only." });
    const opened = await openDonorCase(opo, { receipt, donor: { hcv: true, creatinineMgDl: 1.4 } });
    const organId = opened.organs[0]?.id as string;
    const clampedAt = new Date(Date.now() - 3 * 3_600_000);
    await prisma.organ.update({ where: { id: organId }, data: { crossClampAt: clampedAt } });
    const run = await callerFor(opo).matchRun.run({ organId });
    await callerFor(opo).offer.sendNext({ matchRunId: run.matchRunId });
    const offer = await prisma.offer.findFirstOrThrow({ where: { organId, candidateId } });

    const sheet = await callerFor(centre).offer.sheet({ offerId: offer.id });
    expect(sheet.donor).toMatchObject({
      abo: "O",
      ageYears: 41,
      heightCm: 175,
      weightKg: 80,
      causeOfDeath: "STROKE",
      dcd: false,
      creatinineMgDl: 1.4,
      serology: { hbv: false, hcv: true, hiv: false },
    });
    expect(sheet.candidate).toMatchObject({ abo: "O", heightCm: 168, weightKg: 70 });
    expect(sheet.hla?.total).toBe(3);
    expect(sheet.hla?.loci.A).toEqual({ donor: ["A1", "A2"], candidate: ["A1", "A3"], mismatched: ["A2"] });
    expect(sheet.hla?.loci.B.mismatched).toEqual(["B44"]);
    expect(sheet.hla?.loci.DR.mismatched).toEqual(["DR15"]);
    expect(sheet.ischemia.crossClampAt?.getTime()).toBe(clampedAt.getTime());
    expect(sheet.ischemia.elapsedMinutes).toBeGreaterThanOrEqual(180);
    expect(sheet.ischemia.limitMinutes).toBe(36 * 60);
    expect(sheet.consent).toEqual({
      status: "IN_FORCE",
      covered: true,
      restrictions: "Not for research; transplant only.",
    });

    // Another centre cannot read it, nor can the OPO through the centre's procedure.
    expect((await refusal(callerFor(otherCentre).offer.sheet({ offerId: offer.id }))).code).toBe("NOT_FOUND");
    await expect(callerFor(opo).offer.sheet({ offerId: offer.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const bad = await refusal(callerFor(centre).offer.sheet({ offerId: "not-an-id" }));
    expect(bad.fieldErrors).toHaveProperty("offerId");
  });
});

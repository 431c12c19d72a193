import pg from "pg";
import { describe, expect, it } from "vitest";
import { prisma } from "@/server/db";
import { parseDatabaseUrl } from "@/server/db/database-url";
import {
  callerFor,
  familyAuthorisation,
  kidneyCandidate,
  openDonorCase,
  refusal,
} from "@/test/factories/allocation-factory";
import type { TStaff } from "@/test/factories/organ-factory";
import { setUpIsolatedStaff, type TIsolatedPortal } from "@/test/setup/isolated-staff";

let db: TIsolatedPortal;
let opo: TStaff;
let centre: TStaff;
let otherCentre: TStaff;

setUpIsolatedStaff("sheet", ["OPO", "TRANSPLANT_CENTER", "TRANSPLANT_CENTER"], (staff, iso) => {
  [opo, centre, otherCentre] = staff;
  db = iso;
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

  it("reads whole when an erasure elsewhere rotates the key-encryption key mid-read (the erasure waits for it)", async () => {
    await callerFor(centre).waitlist.add(kidneyCandidate());
    const receipt = await familyAuthorisation(opo, { restrictions: "Transplant only." });
    const opened = await openDonorCase(opo, { receipt });
    const organId = opened.organs[0]?.id as string;
    const run = await callerFor(opo).matchRun.run({ organId });
    await callerFor(opo).offer.sendNext({ matchRunId: run.matchRunId });
    // Whichever candidate the run put first: every candidate here has the factory's clinical detail.
    const offer = await prisma.offer.findFirstOrThrow({ where: { organId } });
    const candidateId = offer.candidateId;
    const c = await openDonorCase(opo);
    await callerFor(opo).donorCase.close({
      donorCaseId: c.donorCaseId,
      reasonCode: "OTHER",
      note: "Spoke to the family",
    });
    const keyBefore = await prisma.candidate.findUniqueOrThrow({
      where: { id: candidateId },
      select: { wrappedKey: true },
    });

    // Hold the sheet between reading the key folder and the candidate's wrapped key: a table lock
    // (as the database's owner) on the candidate records, which the sheet reads in between and an
    // erasure does not touch. Then an erasure elsewhere (a case's closing note) runs: it re-wraps
    // every data key under a new KEK and destroys the old one after its commit.
    const owner = new pg.Client({ connectionString: parseDatabaseUrl(db.url).connectionString });
    await owner.connect();
    const waiting = async (sql: string) => {
      for (let i = 0; i < 600; i++) {
        if (Number((await owner.query(sql)).rows[0]?.n) > 0) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    };
    let erased = false;
    let sheet: Promise<Awaited<ReturnType<ReturnType<typeof callerFor>["offer"]["sheet"]>>>;
    let erasure: Promise<unknown>;
    const locker = new pg.Client({ connectionString: parseDatabaseUrl(db.url).connectionString });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query(`SET LOCAL search_path TO "${db.schema}"`);
      await locker.query(`LOCK TABLE "CandidateRecord" IN ACCESS EXCLUSIVE MODE`);
      sheet = callerFor(centre).offer.sheet({ offerId: offer.id });
      // The sheet is stopped at the candidate records.
      expect(
        await waiting(`SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
          JOIN pg_namespace ns ON ns.oid = c.relnamespace
          WHERE c.relname = 'CandidateRecord' AND ns.nspname = '${db.schema}' AND NOT l.granted`),
      ).toBe(true);
      erasure = callerFor(opo)
        .donorCase.eraseNote({ donorCaseId: c.donorCaseId, confirm: "ERASE" })
        .then(() => {
          erased = true;
        });
      // The erasure either finishes (nothing stops it) or waits for the data-key lock the sheet holds.
      for (let i = 0; i < 200 && !erased; i++) {
        // An erasure waiting for the data-key lock (taken with hashtextextended('data-keys:kek', 0)).
        const blocked = await owner.query(
          `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
             AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('data-keys:kek', 0)`,
        );
        if (Number(blocked.rows[0]?.n) > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await locker.query("COMMIT");
      await locker.end();
    }
    const read = await sheet;
    await erasure;
    await owner.end();
    // The sheet opened the candidate's record and the consent's content: nothing came back empty.
    expect(read.candidate).toMatchObject({ heightCm: 168, weightKg: 70 });
    expect(read.candidate.ageYears).not.toBeNull();
    expect(read.hla).not.toBeNull();
    expect(read.consent?.restrictions).toBe("Transplant only.");
    // The erasure did rotate the KEK: the candidate's key is wrapped anew, and a sheet read now is whole.
    const keyAfter = await prisma.candidate.findUniqueOrThrow({
      where: { id: candidateId },
      select: { wrappedKey: true },
    });
    expect(keyAfter.wrappedKey).not.toBe(keyBefore.wrappedKey);
    expect((await callerFor(centre).offer.sheet({ offerId: offer.id })).candidate.ageYears).not.toBeNull();
  }, 180_000);
});

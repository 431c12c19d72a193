import pg from "pg";
import { describe, expect, it } from "vitest";
import { eraseAndRotate } from "@/server/consent/erase-and-rotate";
import { prisma } from "@/server/db";
import { parseDatabaseUrl } from "@/server/db/database-url";
import { callerFor, kidneyCandidate, openDonorCase } from "@/test/factories/allocation-factory";
import type { TStaff } from "@/test/factories/organ-factory";
import { setUpIsolatedStaff, type TIsolatedPortal } from "@/test/setup/isolated-staff";
import { keyLockQueued } from "@/test/setup/key-lock-queue";

// Its own schema and key folder: the erasure here rotates the KEK and destroys the old one.
let db: TIsolatedPortal;
let opo: TStaff;
let centre: TStaff;
let regulator: TStaff;

setUpIsolatedStaff("replaylock", ["OPO", "TRANSPLANT_CENTER", "REGULATOR"], (staff, iso) => {
  [opo, centre, regulator] = staff;
  db = iso;
});

describe("a regulator's replay while an erasure rotates the key-encryption key", () => {
  it("waits for the erasure (it opens the candidates' records under the data-key lock) and replays identical", async () => {
    for (let i = 0; i < 3; i++) await callerFor(centre).waitlist.add(kidneyCandidate());
    const opened = await openDonorCase(opo);
    const run = await callerFor(opo).matchRun.run({ organId: opened.organs[0]?.id as string });
    const keysBefore = await prisma.candidate.findMany({ select: { id: true, wrappedKey: true } });

    // An erasure (of nothing here) holding the data-key lock exclusively until released.
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let holding = false;
    const erasure = eraseAndRotate(async () => {
      holding = true;
      await gate;
    });
    const owner = new pg.Client({ connectionString: parseDatabaseUrl(db.url).connectionString });
    await owner.connect();
    try {
      for (let i = 0; i < 200 && !holding; i++) await new Promise((r) => setTimeout(r, 25));
      expect(holding).toBe(true);
      let settled = false;
      const replaying = callerFor(regulator)
        .matchRun.replay({ matchRunId: run.matchRunId })
        .finally(() => {
          settled = true;
        });
      const queued = await keyLockQueued(owner, "ShareLock", () => settled, 400);
      // The replay queues behind the erasure instead of reading keys it is about to re-wrap…
      expect(queued).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(settled).toBe(false);
      release();
      await erasure;
      // …and then opens every record under the new KEK: nothing reads as altered.
      expect(await replaying).toMatchObject({ snapshotVerified: true, identical: true, differences: [] });
    } finally {
      release();
      await owner.end();
    }
    const keysAfter = new Map(
      (await prisma.candidate.findMany({ select: { id: true, wrappedKey: true } })).map((c) => [
        c.id,
        c.wrappedKey,
      ]),
    );
    for (const c of keysBefore) expect(keysAfter.get(c.id)).not.toBe(c.wrappedKey);
  }, 120_000);
});

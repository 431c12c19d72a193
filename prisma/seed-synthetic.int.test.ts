import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentCandidateInput } from "@/server/allocation/candidate-current";
import { prisma } from "@/server/db";
import { createStaff } from "@/test/factories/organ-factory";
import { usePortalOnIsolatedDatabase } from "@/test/setup/isolated-db";
import { seedSyntheticData } from "./seed-synthetic";

// Its own schema: the synthetic data set uses fixed codes and takes every centre and OPO it finds.
let db: Awaited<ReturnType<typeof usePortalOnIsolatedDatabase>>;

beforeAll(async () => {
  db = await usePortalOnIsolatedDatabase("synthetic");
  await Promise.all([createStaff({ kind: "OPO" }), createStaff({ kind: "TRANSPLANT_CENTER" })]);
}, 120_000);
afterAll(async () => {
  await db.drop();
});

describe("the synthetic demo data", () => {
  it("lists candidates as the portal does: no clinical detail in the row, an encrypted record per version", async () => {
    await seedSyntheticData({ candidates: 12 });
    const rows = await prisma.candidate.findMany({ include: { statusChanges: true } });
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      // The working row keeps code, organ, blood group, cPRA, listing date and status only.
      expect(row).toMatchObject({
        dateOfBirth: null,
        sex: null,
        heightCm: null,
        weightKg: null,
        diabetes: null,
        dialysisStartedAt: null,
        hla: {},
        unacceptable: [],
        urgency: {},
        allocation: null,
      });
      expect(row.wrappedKey).toMatch(/^wk2\./);
      expect(row.statusChanges.map((c) => [c.from, c.to, c.reason])).toEqual([[null, "ACTIVE", "Listed"]]);
      const events = await prisma.ledgerEvent.findMany({
        where: { subjectType: "candidate", subjectId: row.id },
      });
      expect(events.map((e) => [e.type, e.schemaVersion])).toEqual([["candidate.recorded", 2]]);
      expect(JSON.stringify(events[0]?.payload)).not.toMatch(/dateOfBirth|hla/);
      // The detail is in the record the event commits to, checked against the commitment.
      const input = await currentCandidateInput(prisma, row.id);
      expect(input?.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(input?.heightCm).toBeGreaterThan(100);
      expect(Object.keys(input?.hla ?? {})).toEqual(expect.arrayContaining(["A", "B", "DR"]));
    }
    expect(await prisma.donorCase.count()).toBeGreaterThan(0);

    // Seeding again adds nothing.
    await seedSyntheticData({ candidates: 12 });
    expect(await prisma.candidate.count()).toBe(12);
    expect(await prisma.ledgerEvent.count({ where: { type: "candidate.recorded" } })).toBe(12);
    expect(await prisma.candidateStatusChange.count()).toBe(12);
  }, 120_000);
});

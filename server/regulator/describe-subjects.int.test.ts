import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kidneyWithCandidates } from "@/test/factories/allocation-factory";
import { createStaff, type TStaff } from "@/test/factories/organ-factory";
import { usePortalOnIsolatedDatabase } from "@/test/setup/isolated-db";
import { describeSubjects } from "./describe-subjects";

let db: Awaited<ReturnType<typeof usePortalOnIsolatedDatabase>>;
let opo: TStaff;
let centre: TStaff;

beforeAll(async () => {
  db = await usePortalOnIsolatedDatabase("subj");
  [opo, centre] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
  ]);
}, 120_000);
afterAll(async () => {
  await db.drop();
});

describe("audit subjects as people know them", () => {
  it("names organs by number, runs and cases by what they concern, with links; a vanished record says so", async () => {
    const { organId, run, caseId } = await kidneyWithCandidates({ opo, centre }, 1);
    const organ = await db.db.organ.findUniqueOrThrow({ where: { id: organId } });
    const gone = randomUUID();
    const out = await describeSubjects([
      `organ:${organId}`,
      `match_run:${run.matchRunId}`,
      `donor_case:${caseId}`,
      `organ:${gone}`,
      `user:${gone}`,
      "nonsense",
    ]);
    expect(out).toEqual([
      {
        subject: `organ:${organId}`,
        label: `Kidney (left) ${organ.din}`,
        href: `/regulator/organs/${organId}`,
      },
      {
        subject: `match_run:${run.matchRunId}`,
        label: `Match run for kidney (left) ${organ.din}`,
        href: `/regulator/match-runs/${run.matchRunId}`,
      },
      { subject: `donor_case:${caseId}`, label: expect.stringMatching(/^Donor case \S+$/), href: null },
      { subject: `organ:${gone}`, label: "organ with no record in the portal", href: null },
      { subject: `user:${gone}`, label: "user", href: null },
      { subject: "nonsense", label: "subject", href: null },
    ]);
  });
});

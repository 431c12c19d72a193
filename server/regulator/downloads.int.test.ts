import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import type { TSessionUser } from "@/server/auth/roles";
import { openDonorCase, refusal } from "@/test/factories/allocation-factory";
import { createStaff, type TStaff } from "@/test/factories/organ-factory";

/**
 * The regulator's downloads (`/api/reports/…`, `/api/regulator/fhir/organ/…`, `/api/ledger/bundle`)
 * read through these procedures; the routes only shape the files. What each procedure answers.
 */
const regulator = createCaller({
  user: {
    id: randomUUID(),
    email: "downloads-regulator@test",
    name: "Downloads Regulator",
    role: "REGULATOR",
    organisationId: null,
    organisationName: null,
  } satisfies TSessionUser,
});

let opo: TStaff;
let organId: string;
let donorCaseId: string;

beforeAll(async () => {
  opo = await createStaff({ kind: "OPO" });
  const c = await openDonorCase(opo, { organs: [{ type: "KIDNEY", laterality: "LEFT" }] });
  organId = c.organs[0]?.id as string;
  donorCaseId = c.donorCaseId;
}, 60_000);

describe("audit bundle download (ledger.auditBundle)", () => {
  it("an organ's bundle spans its donor case and is named after the organ", async () => {
    const { bundle, name } = await regulator.ledger.auditBundle({ organId });
    expect(name).toBe(`organ-${organId}`);
    expect(bundle.scope).toMatchObject({ kind: "subjects", label: `organ ${organId}` });
    expect(bundle.scope).toMatchObject({
      subjects: expect.arrayContaining([
        { subjectType: "organ", subjectId: organId },
        { subjectType: "donor_case", subjectId: donorCaseId },
      ]),
    });
    expect(bundle.events.some((e) => e.subjectId === donorCaseId)).toBe(true);
  });

  it("one subject's bundle holds its events only", async () => {
    const { bundle, name } = await regulator.ledger.auditBundle({
      subjectType: "donor_case",
      subjectId: donorCaseId,
    });
    expect(name).toBe(`donor_case-${donorCaseId}`);
    expect(bundle.events.length).toBeGreaterThan(0);
    expect(bundle.events.every((e) => e.subjectId === donorCaseId)).toBe(true);
  });

  it("an unknown organ is not found; a query that is no form says how to ask", async () => {
    expect(await refusal(regulator.ledger.auditBundle({ organId: randomUUID() }))).toMatchObject({
      code: "NOT_FOUND",
      message: "No such organ.",
    });
    expect(await refusal(regulator.ledger.auditBundle({ from: "2026-01-01T00:00:00Z" }))).toMatchObject({
      code: "BAD_REQUEST",
      message: "to is required. Give organId, or subjectType and subjectId, or from and to (ISO date-times).",
    });
    expect(await refusal(regulator.ledger.auditBundle({}))).toMatchObject({
      code: "BAD_REQUEST",
      message: "Give organId, or subjectType and subjectId, or from and to (ISO date-times).",
    });
  });
});

describe("organ FHIR export (provenance.organFhir)", () => {
  it("is the organ's FHIR Bundle; an unknown organ is not found", async () => {
    const bundle = await regulator.provenance.organFhir({ organId });
    expect(bundle.resourceType).toBe("Bundle");
    expect(await refusal(regulator.provenance.organFhir({ organId: randomUUID() }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("report CSV (regulatorReports.csv)", () => {
  it("is the report's CSV, header first, with the period it covers", async () => {
    const out = await regulator.regulatorReports.csv({
      report: "discards",
      range: { from: "2026-01-01", to: "2026-01-31" },
    });
    expect(out.csv.split("\r\n")[0]).toBe("reason,organs");
    expect(out.from.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(out.toExclusive.toISOString()).toBe("2026-02-01T00:00:00.000Z");
  });

  it("refuses an unknown report and a reversed period", async () => {
    expect(await refusal(regulator.regulatorReports.csv({ report: "nope", range: {} }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(
      await refusal(
        regulator.regulatorReports.csv({ report: "offers", range: { from: "2026-02-01", to: "2026-01-01" } }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST" });
  });
});

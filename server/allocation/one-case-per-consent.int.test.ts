import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { disconnectPrisma, prisma } from "@/server/db";
import { parseDatabaseUrl, quoteIdent } from "@/server/db/database-url";
import { asUser, donorFacts, refusal, unique } from "@/test/factories/allocation-factory";
import { createStaff, type TStaff } from "@/test/factories/organ-factory";
import type { TOpenDonorCase } from "./donor-case";

let opo: TStaff;
let otherOpo: TStaff;
const caller = (s: TStaff) => createCaller({ user: asUser(s) });

async function authorisation(): Promise<string> {
  const r = await caller(opo).consent.recordFamilyAuthorisation({
    person: {
      fullName: `Never Registered ${unique()}`,
      dateOfBirth: "1980-02-02",
      identifier: { scheme: "GENERIC", value: `FAM${unique()}` },
    },
    decision: "DONATE_ALL",
    organs: [],
    purposes: ["TRANSPLANT"],
    authorisedBy: { name: "Sam Kin", relationship: "SPOUSE", witness: "Nurse Witness" },
  });
  return r.receiptCode;
}

const open = (
  by: TStaff,
  receipt: string,
  organs: TOpenDonorCase["organs"] = [{ type: "KIDNEY", laterality: "LEFT" }],
) =>
  caller(by).donorCase.open({
    referralHospital: "St Elsewhere",
    consentReceiptCode: receipt,
    donor: donorFacts,
    organs,
  });

beforeAll(async () => {
  [opo, otherOpo] = await Promise.all([createStaff({ kind: "OPO" }), createStaff({ kind: "OPO" })]);
});
afterAll(async () => {
  await disconnectPrisma();
});

describe("one consent, one open donor case", () => {
  it("two coordinators opening on one receipt at once: one case, the other told which case is open", async () => {
    const receipt = await authorisation();
    const outcomes = await Promise.allSettled([
      open(opo, receipt),
      open(opo, receipt),
      open(otherOpo, receipt),
    ]);
    const opened = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    expect(opened).toHaveLength(1);
    const first = opened[0] as { code: string; donorCaseId: string };
    for (const o of outcomes) {
      if (o.status === "fulfilled") continue;
      const r = await refusal(Promise.reject(o.reason));
      expect(r.code).toBe("CONFLICT");
      expect(r.fieldErrors.consentReceiptCode).toContain(`donor case ${first.code}`);
    }
    const version = await prisma.consentVersion.findUniqueOrThrow({ where: { receiptCode: receipt } });
    expect(await prisma.donorCase.count({ where: { consentVersionId: version.id } })).toBe(1);
    // Nothing half-written: only the first case's organ has a number.
    expect(await prisma.organ.count({ where: { donorCase: { consentVersionId: version.id } } })).toBe(1);
  });

  it("the database itself refuses a second open case on a consent (a writer that skipped the check)", async () => {
    const receipt = await authorisation();
    const first = await open(opo, receipt);
    const version = await prisma.consentVersion.findUniqueOrThrow({ where: { receiptCode: receipt } });
    const { connectionString, schema } = parseDatabaseUrl(process.env.DATABASE_URL as string);
    const owner = new pg.Client({ connectionString });
    await owner.connect();
    try {
      await owner.query(`SET search_path TO ${quoteIdent(schema)}`);
      const insert = () =>
        owner.query(
          `INSERT INTO "DonorCase" (id, code, "opoId", "referralHospital", "consentVersionId", donor, status)
           VALUES (gen_random_uuid(), $1, $2, 'Elsewhere', $3, '{}', $4)`,
          [`DUP-${unique()}`, opo.org.id, version.id, "OPEN"],
        );
      await expect(insert()).rejects.toThrow(/DonorCase_open_consent_key/);
      // Closed, the first case no longer blocks a new one.
      await caller(opo).donorCase.close({
        donorCaseId: first.donorCaseId,
        reasonCode: "RECOVERY_NOT_PERFORMED",
      });
      await insert();
    } finally {
      await owner.end();
    }
  });

  it("after a case is closed, organs it placed cannot be listed again; the others can", async () => {
    const receipt = await authorisation();
    const first = await open(opo, receipt, [
      { type: "KIDNEY", laterality: "LEFT" },
      { type: "KIDNEY", laterality: "RIGHT" },
    ]);
    const left = first.organs[0] as { id: string; din: string };
    await prisma.organ.update({ where: { id: left.id }, data: { status: "TRANSPLANTED" } });
    await caller(opo).donorCase.close({ donorCaseId: first.donorCaseId, reasonCode: "ALL_ORGANS_PLACED" });

    const again = await refusal(
      open(opo, receipt, [
        { type: "LIVER", laterality: null },
        { type: "KIDNEY", laterality: "LEFT" },
      ]),
    );
    expect(again.code).toBe("CONFLICT");
    expect(again.fieldErrors["organs.1.type"]).toBe(
      `kidney (left) was already placed from donor case ${first.code} (DIN ${left.din})`,
    );
    const reopened = await open(opo, receipt, [{ type: "KIDNEY", laterality: "RIGHT" }]);
    expect(reopened.organs).toHaveLength(1);
  });
});

import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { mod37_2CheckCharacter } from "@/server/custody/donation-identification-number";
import { prisma } from "@/server/db";
import {
  asUser,
  callerFor,
  familyAuthorisation,
  openDonorCase,
  refusal,
} from "@/test/factories/allocation-factory";
import type { TStaff } from "@/test/factories/organ-factory";
import { setUpIsolatedStaff } from "@/test/setup/isolated-staff";
import type { TOpenDonorCase } from "./donor-case";

/** Opening donor cases: consent coverage by organ, restrictions shown, refusals by field. */

// A schema of this file's own: rankings read the whole waiting list, so they see only these candidates.
let opo: TStaff;
let centre: TStaff;
let regulator: TStaff;
const opoCaller = () => callerFor(opo);
const _centreCaller = () => callerFor(centre);
const authorisation = (organs: string[] | "ALL", purposes = ["TRANSPLANT"], restrictions?: string) =>
  familyAuthorisation(opo, { organs, purposes, restrictions });
const openCase = (organs: TOpenDonorCase["organs"], receipt?: string) =>
  openDonorCase(opo, { organs, receipt });

setUpIsolatedStaff("dc", ["OPO", "TRANSPLANT_CENTER", "REGULATOR"], (staff) => {
  [opo, centre, regulator] = staff;
});

describe("donor cases", () => {
  it("refuses an organ the consent does not cover, by name, and writes nothing", async () => {
    const receipt = await authorisation(["KIDNEYS"]);
    const before = await prisma.donorCase.count({ where: { opoId: opo.org.id } });
    const r = await refusal(
      openCase(
        [
          { type: "KIDNEY", laterality: "LEFT" },
          { type: "HEART", laterality: null },
        ],
        receipt,
      ),
    );
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.fieldErrors).toHaveProperty("organs.1.type");
    expect(r.message).toMatch(/heart is not covered by the consent/);
    expect(await prisma.donorCase.count({ where: { opoId: opo.org.id } })).toBe(before);

    const ok = await openCase([{ type: "KIDNEY", laterality: "LEFT" }], receipt);
    expect(ok.kdri).toBeGreaterThan(0);
    expect(ok.kdpi).toBeGreaterThanOrEqual(0);
    // ISBT 128: facility (a letter, four digits), year, sequence, then the MOD 37-2 check
    // character, which is * for 36 (a regex without it failed about one run in 37).
    const din = ok.organs[0]?.din as string;
    expect(din).toMatch(/^[A-Z]\d{12}[0-9A-Z*]$/);
    expect(din.slice(13)).toBe(mod37_2CheckCharacter(din.slice(0, 13)));
  });

  it("shows the consent's restrictions on the case, and a match run records that they apply", async () => {
    const receipt = await authorisation(["KIDNEYS"], ["TRANSPLANT", "RESEARCH"], "No recipient under 18.");
    const opened = await openCase([{ type: "KIDNEY", laterality: "LEFT" }], receipt);
    const shown = await opoCaller().donorCase.get({ id: opened.donorCaseId });
    expect(shown.consent).toMatchObject({ status: "IN_FORCE", restrictions: "No recipient under 18." });

    const run = await opoCaller().matchRun.run({ organId: opened.organs[0]?.id as string });
    const event = await prisma.ledgerEvent.findUniqueOrThrow({ where: { id: run.ledgerEventId } });
    // The same coverage() that opened the case: organs and purposes covered, restrictions flagged.
    const kept = await prisma.matchRun.findUniqueOrThrow({ where: { id: run.matchRunId } });
    expect(event.payload).toMatchObject({ snapshotHash: kept.snapshotHash });
    expect((kept.snapshot as { consent: unknown }).consent).toEqual({
      organs: ["KIDNEYS"],
      purposes: ["TRANSPLANT", "RESEARCH"],
      restricted: true,
    });
    const reg = createCaller({ user: asUser(regulator) });
    expect(await reg.matchRun.replay({ matchRunId: run.matchRunId })).toMatchObject({ identical: true });

    const plain = await openCase([{ type: "KIDNEY", laterality: "LEFT" }]);
    expect((await opoCaller().donorCase.get({ id: plain.donorCaseId })).consent).toMatchObject({
      status: "IN_FORCE",
      restrictions: null,
    });
  });

  it("refuses a research-only consent and an unknown receipt", async () => {
    const research = await authorisation("ALL", ["RESEARCH"]);
    const r = await refusal(openCase([{ type: "KIDNEY", laterality: "LEFT" }], research));
    expect(r.fieldErrors).toHaveProperty("organs.0.type");
    const unknown = await refusal(openCase([{ type: "KIDNEY", laterality: "LEFT" }], "ZZZZZZZZZZ"));
    expect(["NOT_FOUND", "BAD_REQUEST"]).toContain(unknown.code);
    expect(unknown.fieldErrors).toHaveProperty("consentReceiptCode");
  });
});

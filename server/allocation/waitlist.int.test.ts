import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { asUser, callerFor, kidneyCandidate, refusal } from "@/test/factories/allocation-factory";
import { createStaff, type TStaff } from "@/test/factories/organ-factory";
import { setUpIsolatedStaff } from "@/test/setup/isolated-staff";

/** The waiting list through the API: validation by field, history, centres kept apart, distinct codes. */

// A schema of this file's own: rankings read the whole waiting list, so they see only these candidates.
let centre: TStaff;
let otherCentre: TStaff;
const centreCaller = () => callerFor(centre);

setUpIsolatedStaff("wl", ["TRANSPLANT_CENTER", "TRANSPLANT_CENTER"], (staff) => {
  [centre, otherCentre] = staff;
});

describe("waiting list", () => {
  it("names each bad field: unknown HLA antigen, impossible labs, ABO outside the allowed values", async () => {
    const r = await refusal(
      centreCaller().waitlist.add(
        kidneyCandidate({ hla: { A: ["A1", "A999"], B: ["B8"], C: [], DR: ["DR4"], DQ: [] } }),
      ),
    );
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toMatch(/hla: HLA-A: Unknown HLA antigen "A999"/);

    const abo = await refusal(centreCaller().waitlist.add({ ...kidneyCandidate(), abo: "C" as never }));
    expect(abo.message).toMatch(/abo: blood group must be O, A, B or AB/);

    const liver = await refusal(
      centreCaller().waitlist.add(
        kidneyCandidate({
          organ: "LIVER",
          urgency: {
            highUrgency: false,
            liver: {
              bilirubinMgDl: 120,
              sodiumMmolL: 135,
              inr: 1.2,
              creatinineMgDl: 1,
              albuminGDl: 3.5,
              dialysisTwiceInPastWeek: false,
            },
          },
        }),
      ),
    );
    expect(liver.message).toMatch(
      /urgency\.liver\.bilirubinMgDl: bilirubin above 80 mg\/dL is not plausible/,
    );
  });

  it("keeps status history, and a centre never sees another centre's candidates", async () => {
    const { id } = await centreCaller().waitlist.add(kidneyCandidate());
    await centreCaller().waitlist.setStatus({
      candidateId: id,
      status: "INACTIVE",
      reason: "Temporarily unwell",
    });
    const history = await centreCaller().waitlist.history({ id });
    expect(history.map((h) => [h.from, h.to, h.reason])).toEqual([
      ["ACTIVE", "INACTIVE", "Temporarily unwell"],
      [null, "ACTIVE", "Listed"],
    ]);
    const other = createCaller({ user: asUser(otherCentre) });
    expect((await other.waitlist.list({})).map((c) => c.id)).not.toContain(id);
    expect((await refusal(other.waitlist.history({ id }))).code).toBe("NOT_FOUND");
    expect(
      (
        await refusal(
          other.waitlist.setStatus({ candidateId: id, status: "ACTIVE", reason: "Not mine at all" }),
        )
      ).code,
    ).toBe("NOT_FOUND");
  });

  it("gives candidates listed at the same moment distinct codes", async () => {
    const fresh = await createStaff({ kind: "TRANSPLANT_CENTER" });
    const caller = createCaller({ user: asUser(fresh) });
    const added = await Promise.all(
      Array.from({ length: 12 }, () => caller.waitlist.add(kidneyCandidate({ organ: "PANCREAS" }))),
    );
    expect(new Set(added.map((a) => a.code)).size).toBe(12);
    expect((await caller.waitlist.list({})).length).toBe(12);
  });
});

import { describe, expect, it } from "vitest";
import { ALLOCATION_POLICIES } from "../policies";
import {
  aboEligibility,
  aboGroupRefusals,
  aboRelation,
  CANDIDATE_ABO,
  DONOR_ABO,
  type TAboCandidateFacts,
  type TAboRules,
} from "./abo-compatibility";

describe("aboRelation", () => {
  const table = [
    ["O", "O", "IDENTICAL"],
    ["O", "A", "COMPATIBLE"],
    ["O", "B", "COMPATIBLE"],
    ["O", "AB", "COMPATIBLE"],
    ["A", "A", "IDENTICAL"],
    ["A", "AB", "COMPATIBLE"],
    ["A", "O", "INCOMPATIBLE"],
    ["A", "B", "INCOMPATIBLE"],
    ["A1", "A", "IDENTICAL"],
    ["A2", "A", "IDENTICAL"],
    ["A2", "O", "INCOMPATIBLE"],
    ["B", "B", "IDENTICAL"],
    ["B", "AB", "COMPATIBLE"],
    ["B", "A", "INCOMPATIBLE"],
    ["AB", "AB", "IDENTICAL"],
    ["AB", "O", "INCOMPATIBLE"],
    ["A1B", "AB", "IDENTICAL"],
    ["A2B", "B", "INCOMPATIBLE"],
  ] as const;
  for (const [donor, candidate, want] of table) {
    it(`${donor} → ${candidate}: ${want}`, () => expect(aboRelation(donor, candidate)).toBe(want));
  }
});

const kidney: TAboRules = {
  identicalOnlyDonorGroups: ["O", "B"],
  identicalOnlyExceptions: { zeroMismatch: true, minCpra: 99 },
  a2ToB: true,
  identicalFirst: false,
  incompatible: { urgent: false, paediatricMaxAgeYears: null },
};
const liver: TAboRules = {
  identicalOnlyDonorGroups: [],
  identicalOnlyExceptions: { zeroMismatch: false, minCpra: null },
  a2ToB: false,
  identicalFirst: true,
  incompatible: { urgent: true, paediatricMaxAgeYears: 2 },
};
const base: TAboCandidateFacts = {
  abo: "O",
  zeroMismatch: false,
  cpra: 0,
  a2TitreEligible: false,
  urgent: false,
  ageYears: 40,
};

describe("aboEligibility", () => {
  const table: {
    desc: string;
    donor: Parameters<typeof aboEligibility>[0];
    c: Partial<TAboCandidateFacts>;
    rules: TAboRules;
    want: string;
  }[] = [
    { desc: "kidney O → O identical", donor: "O", c: { abo: "O" }, rules: kidney, want: "IDENTICAL" },
    {
      desc: "kidney O → A kept for O",
      donor: "O",
      c: { abo: "A" },
      rules: kidney,
      want: "ABO_IDENTICAL_ONLY",
    },
    {
      desc: "kidney O → A zero-mismatch",
      donor: "O",
      c: { abo: "A", zeroMismatch: true },
      rules: kidney,
      want: "COMPATIBLE",
    },
    {
      desc: "kidney O → B cPRA 99",
      donor: "O",
      c: { abo: "B", cpra: 99 },
      rules: kidney,
      want: "COMPATIBLE",
    },
    {
      desc: "kidney O → B cPRA 98",
      donor: "O",
      c: { abo: "B", cpra: 98 },
      rules: kidney,
      want: "ABO_IDENTICAL_ONLY",
    },
    {
      desc: "kidney B → AB kept for B",
      donor: "B",
      c: { abo: "AB" },
      rules: kidney,
      want: "ABO_IDENTICAL_ONLY",
    },
    {
      desc: "kidney B → AB cPRA 100",
      donor: "B",
      c: { abo: "AB", cpra: 100 },
      rules: kidney,
      want: "COMPATIBLE",
    },
    { desc: "kidney A → AB compatible", donor: "A", c: { abo: "AB" }, rules: kidney, want: "COMPATIBLE" },
    {
      desc: "kidney A2 → B with titre",
      donor: "A2",
      c: { abo: "B", a2TitreEligible: true },
      rules: kidney,
      want: "A2_TO_B",
    },
    {
      desc: "kidney A2B → B with titre",
      donor: "A2B",
      c: { abo: "B", a2TitreEligible: true },
      rules: kidney,
      want: "A2_TO_B",
    },
    {
      desc: "kidney A2 → B without titre",
      donor: "A2",
      c: { abo: "B" },
      rules: kidney,
      want: "ABO_A2_TITRE",
    },
    {
      desc: "kidney A1 → B never",
      donor: "A1",
      c: { abo: "B", a2TitreEligible: true },
      rules: kidney,
      want: "ABO_INCOMPATIBLE",
    },
    {
      desc: "kidney A → O incompatible even if urgent",
      donor: "A",
      c: { abo: "O", urgent: true },
      rules: kidney,
      want: "ABO_INCOMPATIBLE",
    },
    { desc: "liver O → AB compatible", donor: "O", c: { abo: "AB" }, rules: liver, want: "COMPATIBLE" },
    { desc: "liver A → O incompatible", donor: "A", c: { abo: "O" }, rules: liver, want: "ABO_INCOMPATIBLE" },
    {
      desc: "liver A → O urgent permitted",
      donor: "A",
      c: { abo: "O", urgent: true },
      rules: liver,
      want: "INCOMPATIBLE_PERMITTED",
    },
    {
      desc: "liver B → A infant permitted",
      donor: "B",
      c: { abo: "A", ageYears: 1 },
      rules: liver,
      want: "INCOMPATIBLE_PERMITTED",
    },
    {
      desc: "liver B → A child of 2 not permitted",
      donor: "B",
      c: { abo: "A", ageYears: 2 },
      rules: liver,
      want: "ABO_INCOMPATIBLE",
    },
  ];
  for (const { desc, donor, c, rules, want } of table) {
    it(desc, () => {
      const r = aboEligibility(donor, { ...base, ...c }, rules);
      expect(r.eligible ? r.match : r.code).toBe(want);
      if (!r.eligible) expect(r.message).toMatch(/group|Group/);
    });
  }
  it("ranks identical before compatible before permitted-incompatible", () => {
    const rank = (donor: "O" | "A", abo: "O" | "A" | "AB", urgent = false) => {
      const r = aboEligibility(donor, { ...base, abo, urgent }, liver);
      return r.eligible ? r.rank : -1;
    };
    expect([rank("O", "O"), rank("O", "AB"), rank("A", "O", true)]).toEqual([0, 1, 2]);
  });
});

describe("aboGroupRefusals", () => {
  // Every shipped policy's rules, plus ones permitting urgent or paediatric incompatible offers.
  const rulesToCheck: TAboRules[] = [
    ...ALLOCATION_POLICIES.map((p) => p.filters.abo),
    { ...kidney, a2ToB: true },
    { ...kidney, incompatible: { urgent: true, paediatricMaxAgeYears: null } },
    { ...kidney, incompatible: { urgent: false, paediatricMaxAgeYears: 2 } },
  ];
  const facts: TAboCandidateFacts[] = [];
  for (const zeroMismatch of [false, true])
    for (const cpra of [0, 99.9])
      for (const a2TitreEligible of [false, true])
        for (const urgent of [false, true])
          for (const ageYears of [1, 40])
            facts.push({ abo: "O", zeroMismatch, cpra, a2TitreEligible, urgent, ageYears });

  it("refuses a group only where aboEligibility refuses every candidate of it, with the same decision", () => {
    let refusedGroups = 0;
    for (const rules of rulesToCheck)
      for (const donor of DONOR_ABO) {
        const byGroup = aboGroupRefusals(donor, rules);
        for (const abo of CANDIDATE_ABO) {
          const decisions = facts.map((f) => aboEligibility(donor, { ...f, abo }, rules));
          const refusal = byGroup[abo];
          if (refusal) {
            refusedGroups++;
            for (const d of decisions) expect(d).toBe(refusal);
          } else if (decisions.every((d) => !d.eligible && d.code === "ABO_INCOMPATIBLE")) {
            // Not refused on group alone although every fact tried was: the facts must matter.
            throw new Error(`${donor} → ${abo}: refused whatever the facts, yet not by group`);
          }
        }
      }
    expect(refusedGroups).toBeGreaterThan(20);
  });
});

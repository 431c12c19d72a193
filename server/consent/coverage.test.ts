import { describe, expect, it } from "vitest";
import { coverage } from "./coverage";
import { type TConsentDecisionInput, ZConsentDecisionSchema } from "./decision-schema";

const d = (input: TConsentDecisionInput) => ZConsentDecisionSchema.parse(input);
const selected = d({
  kind: "FIRST_PERSON",
  decision: "DONATE_SELECTED",
  organs: ["KIDNEYS", "CORNEAS"],
  purposes: ["TRANSPLANT"],
});
const all = d({
  kind: "FIRST_PERSON",
  decision: "DONATE_ALL",
  purposes: ["TRANSPLANT", "RESEARCH"],
  restrictions: "no heart",
});
const objection = d({ kind: "FIRST_PERSON", decision: "OBJECTION" });

describe("coverage", () => {
  it.each([
    {
      desc: "no decision",
      decision: null,
      organ: "KIDNEYS",
      purpose: "TRANSPLANT",
      want: { covered: false, reason: "NO_DECISION" },
    },
    {
      desc: "objection",
      decision: objection,
      organ: "KIDNEYS",
      purpose: "TRANSPLANT",
      want: { covered: false, reason: "OBJECTION" },
    },
    {
      desc: "selected organ",
      decision: selected,
      organ: "KIDNEYS",
      purpose: "TRANSPLANT",
      want: { covered: true, restricted: false },
    },
    {
      desc: "unselected organ",
      decision: selected,
      organ: "LIVER",
      purpose: "TRANSPLANT",
      want: { covered: false, reason: "ORGAN_NOT_INCLUDED" },
    },
    {
      desc: "selected organ, other purpose",
      decision: selected,
      organ: "CORNEAS",
      purpose: "RESEARCH",
      want: { covered: false, reason: "PURPOSE_NOT_INCLUDED" },
    },
    {
      desc: "all organs, with restrictions",
      decision: all,
      organ: "HEART",
      purpose: "RESEARCH",
      want: { covered: true, restricted: true },
    },
    {
      desc: "all organs, purpose not given",
      decision: all,
      organ: "LIVER",
      purpose: "EDUCATION",
      want: { covered: false, reason: "PURPOSE_NOT_INCLUDED" },
    },
  ] as const)("$desc", ({ decision, organ, purpose, want }) => {
    expect(coverage(decision, organ, purpose)).toEqual(want);
  });
});

import { describe, expect, it } from "vitest";
import { ZConsentDecisionSchema } from "./decision-schema";

function issuesOf(input: unknown): Record<string, string> {
  const result = ZConsentDecisionSchema.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
}

const family = { name: "Grace Hopper", relationship: "SPOUSE", witness: "Dr. A. Carrel" };

describe("consent decision", () => {
  it("canonicalises organs and purposes", () => {
    const parsed = ZConsentDecisionSchema.parse({
      kind: "FIRST_PERSON",
      decision: "DONATE_SELECTED",
      organs: ["CORNEAS", "KIDNEYS", "CORNEAS"],
      purposes: ["RESEARCH", "TRANSPLANT"],
      restrictions: "  ",
    });
    expect(parsed).toEqual({
      kind: "FIRST_PERSON",
      decision: "DONATE_SELECTED",
      organs: ["KIDNEYS", "CORNEAS"],
      purposes: ["TRANSPLANT", "RESEARCH"],
    });
  });

  it("accepts an objection with no organs or purposes", () => {
    expect(ZConsentDecisionSchema.parse({ kind: "FIRST_PERSON", decision: "OBJECTION" })).toEqual({
      kind: "FIRST_PERSON",
      decision: "OBJECTION",
      organs: [],
      purposes: [],
    });
  });

  it("accepts a family authorisation with who, relationship and witness", () => {
    const parsed = ZConsentDecisionSchema.parse({
      kind: "FAMILY_AUTHORISATION",
      decision: "DONATE_ALL",
      purposes: ["TRANSPLANT"],
      authorisedBy: family,
    });
    expect(parsed.authorisedBy).toEqual(family);
  });

  it.each([
    {
      desc: "empty organ list for DONATE_SELECTED",
      input: { kind: "FIRST_PERSON", decision: "DONATE_SELECTED", organs: [], purposes: ["TRANSPLANT"] },
      field: "organs",
      want: /at least one organ/,
    },
    {
      desc: "organs with DONATE_ALL",
      input: { kind: "FIRST_PERSON", decision: "DONATE_ALL", organs: ["LIVER"], purposes: ["TRANSPLANT"] },
      field: "organs",
      want: /leave the organ list empty/,
    },
    {
      desc: "no purpose",
      input: { kind: "FIRST_PERSON", decision: "DONATE_ALL" },
      field: "purposes",
      want: /at least one purpose/,
    },
    {
      desc: "organs on an objection",
      input: { kind: "FIRST_PERSON", decision: "OBJECTION", organs: ["HEART"] },
      field: "organs",
      want: /objection covers no organs/,
    },
    {
      desc: "purposes on an objection",
      input: { kind: "FIRST_PERSON", decision: "OBJECTION", purposes: ["RESEARCH"] },
      field: "purposes",
      want: /objection has no purposes/,
    },
    {
      desc: "family authorisation without authoriser",
      input: { kind: "FAMILY_AUTHORISATION", decision: "DONATE_ALL", purposes: ["TRANSPLANT"] },
      field: "authorisedBy",
      want: /who authorised it/,
    },
    {
      desc: "authoriser on a first-person decision",
      input: { kind: "FIRST_PERSON", decision: "OBJECTION", authorisedBy: family },
      field: "authorisedBy",
      want: /made by the donor/,
    },
    {
      desc: "missing witness",
      input: {
        kind: "FAMILY_AUTHORISATION",
        decision: "OBJECTION",
        authorisedBy: { name: "G", relationship: "PARENT", witness: " " },
      },
      field: "authorisedBy.witness",
      want: /witness's name/,
    },
    {
      desc: "unknown organ",
      input: {
        kind: "FIRST_PERSON",
        decision: "DONATE_SELECTED",
        organs: ["SPLEEN"],
        purposes: ["TRANSPLANT"],
      },
      field: "organs.0",
      want: /must be one of KIDNEYS/,
    },
    {
      desc: "unknown decision",
      input: { kind: "FIRST_PERSON", decision: "MAYBE" },
      field: "decision",
      want: /DONATE_ALL, DONATE_SELECTED, OBJECTION/,
    },
    {
      desc: "long restrictions",
      input: {
        kind: "FIRST_PERSON",
        decision: "DONATE_ALL",
        purposes: ["TRANSPLANT"],
        restrictions: "x".repeat(1001),
      },
      field: "restrictions",
      want: /1000 characters at most/,
    },
  ])("refuses $desc, naming $field", ({ input, field, want }) => {
    expect(issuesOf(input)[field]).toMatch(want);
  });
});

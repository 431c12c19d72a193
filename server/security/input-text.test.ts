import { describe, expect, it } from "vitest";
import { findNulCharacter } from "./input-text";

describe("findNulCharacter", () => {
  const cases: Array<{ desc: string; input: unknown; want: string | null }> = [
    { desc: "clean text", input: { a: "fine", b: ["x", 1, null] }, want: null },
    { desc: "a top-level string", input: "a\u0000b", want: "input" },
    { desc: "nested in an object", input: { details: { note: "x\u0000" } }, want: "input.details.note" },
    { desc: "in an array", input: { organs: ["KIDNEY", "\u0000"] }, want: "input.organs.1" },
    { desc: "in a key", input: { "k\u0000": 1 }, want: "input.(key)" },
    { desc: "non-text values", input: [1, true, undefined, new Date(0)], want: null },
  ];
  for (const c of cases) it(c.desc, () => expect(findNulCharacter(c.input)).toBe(c.want));

  it("does not recurse without bound", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 10_000; i++) deep = { deep };
    expect(findNulCharacter(deep)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./return-path";

describe("safeReturnPath", () => {
  it.each([
    { desc: "a page", input: "/opo/cases/abc", want: "/opo/cases/abc" },
    { desc: "query and hash kept", input: "/regulator/organs?q=1#top", want: "/regulator/organs?q=1#top" },
    { desc: "dot segments resolved on this site", input: "/opo/../center", want: "/center" },
  ])("keeps $desc", ({ input, want }) => {
    expect(safeReturnPath(input)).toBe(want);
  });

  it.each([
    { desc: "absolute URL", input: "https://evil.example/x" },
    { desc: "protocol-relative", input: "//evil.example/x" },
    { desc: "backslash trick", input: "/\\evil.example" },
    { desc: "tab inside", input: "/\t/evil.example" },
    { desc: "javascript scheme", input: "javascript:alert(1)" },
    { desc: "relative path", input: "opo" },
    { desc: "sign-in loop", input: "/sign-in?next=/opo" },
    { desc: "API route", input: "/api/ledger/bundle" },
    { desc: "empty", input: "" },
    { desc: "not a string", input: ["/opo"] },
    { desc: "too long", input: `/${"a".repeat(2100)}` },
  ])("refuses $desc", ({ input }) => {
    expect(safeReturnPath(input)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { identifierProblem, normaliseIdentifier, ZIdentifierSchema } from "./identifiers";

describe("identifierProblem", () => {
  it.each([
    { desc: "NHS test number", scheme: "UK_NHS", input: "943 476 5919", wantErr: null },
    { desc: "NHS with hyphens", scheme: "UK_NHS", input: "943-476-5919", wantErr: null },
    { desc: "NHS another valid number", scheme: "UK_NHS", input: "4010232137", wantErr: null },
    {
      desc: "NHS check digit 0 (remainder 0 → 11 → 0)",
      scheme: "UK_NHS",
      input: "1000000060",
      wantErr: null,
    },
    { desc: "NHS wrong check digit", scheme: "UK_NHS", input: "9434765918", wantErr: /check digit/ },
    { desc: "NHS check digit would be 10", scheme: "UK_NHS", input: "1000000010", wantErr: /check digit/ },
    { desc: "NHS too short", scheme: "UK_NHS", input: "943476591", wantErr: /10 digits/ },
    { desc: "NHS letters", scheme: "UK_NHS", input: "94347659A9", wantErr: /10 digits/ },
    { desc: "SSN", scheme: "US_SSN", input: "123-45-6789", wantErr: null },
    { desc: "SSN area 000", scheme: "US_SSN", input: "000-12-3456", wantErr: /area/ },
    { desc: "SSN area 666", scheme: "US_SSN", input: "666-12-3456", wantErr: /area/ },
    { desc: "SSN area 9xx", scheme: "US_SSN", input: "912-12-3456", wantErr: /area/ },
    { desc: "SSN group 00", scheme: "US_SSN", input: "123-00-4567", wantErr: /group/ },
    { desc: "SSN serial 0000", scheme: "US_SSN", input: "123-45-0000", wantErr: /serial/ },
    { desc: "SSN advertised", scheme: "US_SSN", input: "078-05-1120", wantErr: /void/ },
    { desc: "SSN short", scheme: "US_SSN", input: "123-45-678", wantErr: /9 digits/ },
    { desc: "BSN", scheme: "NL_BSN", input: "111222333", wantErr: null },
    { desc: "BSN fails eleven test", scheme: "NL_BSN", input: "111222334", wantErr: /eleven test/ },
    { desc: "BSN all zeros", scheme: "NL_BSN", input: "000000000", wantErr: /eleven test/ },
    { desc: "generic", scheme: "GENERIC", input: "ab-12 34", wantErr: null },
    { desc: "generic too short", scheme: "GENERIC", input: "A1", wantErr: /4 to 32/ },
    { desc: "generic symbols", scheme: "GENERIC", input: "AB#123", wantErr: /4 to 32/ },
  ] as const)("$desc", ({ scheme, input, wantErr }) => {
    const problem = identifierProblem(scheme, input);
    if (wantErr === null) expect(problem).toBeNull();
    else expect(problem).toMatch(wantErr);
  });
});

describe("ZIdentifierSchema", () => {
  it("normalises the value", () => {
    expect(ZIdentifierSchema.parse({ scheme: "UK_NHS", value: " 943 476 5919 " })).toEqual({
      scheme: "UK_NHS",
      value: "9434765919",
    });
    expect(normaliseIdentifier("ab-12.34")).toBe("AB1234");
  });

  it("reports the problem on the value field", () => {
    const result = ZIdentifierSchema.safeParse({ scheme: "UK_NHS", value: "9434765918" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["value"]);
  });

  it("names an unknown scheme", () => {
    const result = ZIdentifierSchema.safeParse({ scheme: "XX", value: "123" });
    expect(result.error?.issues[0]).toMatchObject({
      path: ["scheme"],
      message: expect.stringMatching(/UK_NHS/),
    });
  });
});

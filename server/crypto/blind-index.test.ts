import { describe, expect, it } from "vitest";
import { testKeyRingSource } from "@/test/factories/test-keys";
import { blindIndex, blindIndexCandidates, blindIndexMessage } from "./blind-index";
import { parseKeyRing } from "./key-ring";

const source = testKeyRingSource("k1");
const ring = parseKeyRing(source);
const input = { scheme: "UK_NHS", identifier: "943 476 5919", dateOfBirth: "1980-04-01" };

describe("blind index", () => {
  it("normalises spacing and case before hashing", () => {
    expect(blindIndexMessage(input)).toBe("UK_NHS|9434765919|1980-04-01");
    expect(blindIndex({ ring, ...input })).toBe(blindIndex({ ring, ...input, identifier: "943-476-5919" }));
  });

  it("reveals neither the identifier nor the date", () => {
    const index = blindIndex({ ring, ...input });
    expect(index).toMatch(/^bi1\.k1\.[0-9a-f]{64}$/);
    expect(index).not.toContain("9434765919");
  });

  it("depends on the date of birth, the scheme and the key", () => {
    const base = blindIndex({ ring, ...input });
    expect(blindIndex({ ring, ...input, dateOfBirth: "1980-04-02" })).not.toBe(base);
    expect(blindIndex({ ring, ...input, scheme: "GENERIC" })).not.toBe(base);
    expect(blindIndex({ ring: parseKeyRing(testKeyRingSource("k1")), ...input })).not.toBe(base);
  });

  it("still finds rows indexed before a rotation", () => {
    const stored = blindIndex({ ring, ...input });
    const rotated = parseKeyRing(`${testKeyRingSource("k2")},${source}`);
    const candidates = blindIndexCandidates({ ring: rotated, ...input });
    expect(candidates).toHaveLength(2);
    expect(candidates[0]).toBe(blindIndex({ ring: rotated, ...input }));
    expect(candidates).toContain(stored);
  });

  it("refuses a malformed date", () => {
    expect(() => blindIndex({ ring, ...input, dateOfBirth: "01/04/1980" })).toThrow(/YYYY-MM-DD/);
  });
});

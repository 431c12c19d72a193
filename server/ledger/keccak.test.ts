import { randomBytes } from "node:crypto";
import sha3 from "js-sha3";
import { describe, expect, it } from "vitest";
import { keccak256Into, keccak256Utf8 } from "./keccak";

describe("keccak256Into", () => {
  it("gives js-sha3's digest for every length across the rate boundaries (0–700 bytes)", () => {
    const out = Buffer.alloc(40);
    for (let n = 0; n <= 700; n++) {
      const input = randomBytes(n + 7);
      // An offset into a larger buffer, and an offset into the output, as the Merkle code uses them.
      keccak256Into(input, 3, 3 + n, out, 5);
      expect(out.toString("hex", 5, 37)).toBe(sha3.keccak_256(input.subarray(3, 3 + n)));
    }
  });

  it("matches the published empty-input digest", () => {
    expect(keccak256Utf8("")).toBe("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  });

  it("hashes UTF-8 text as js-sha3 does, beyond its scratch buffer too", () => {
    for (const text of ["abc", "é—ü 🚑", "x".repeat(5000), "Ω".repeat(3000)]) {
      expect(keccak256Utf8(text)).toBe(`0x${sha3.keccak_256(text)}`);
    }
  });
});

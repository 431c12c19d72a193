import { keccak256, toUtf8Bytes } from "ethers";
import { describe, expect, it } from "vitest";
import { CommitmentError, canonicalBytes, commit, generateSalt, verifyCommitment } from "./commitment";

const salt = Buffer.alloc(32, 0xab).toString("base64url");

describe("canonicalBytes (RFC 8785)", () => {
  it.each([
    { desc: "sorts keys", input: { b: 1, a: [true, null] }, want: '{"a":[true,null],"b":1}' },
    { desc: "normalises numbers", input: { n: 1.0, e: 1e21 }, want: '{"e":1e+21,"n":1}' },
    { desc: "keeps unicode", input: { name: "Zoë" }, want: '{"name":"Zoë"}' },
  ])("$desc", ({ input, want }) => {
    expect(canonicalBytes(input).toString("utf8")).toBe(want);
  });

  it("refuses values JSON cannot hold", () => {
    expect(() => canonicalBytes(undefined)).toThrow(CommitmentError);
    expect(() => canonicalBytes({ x: Number.NaN })).toThrow(CommitmentError);
  });
});

describe("commit", () => {
  it("is keccak256(salt ‖ canonical JSON)", () => {
    const saltHex = "ab".repeat(32);
    const want = keccak256(new Uint8Array([...Buffer.from(saltHex, "hex"), ...toUtf8Bytes('{"a":1,"b":2}')]));
    expect(commit({ salt, value: { b: 2, a: 1 } })).toBe(want);
  });

  it("agrees with ethers' keccak256 for records across block boundaries (0 to 700 characters)", () => {
    const saltHex = "ab".repeat(32);
    for (let n = 0; n <= 700; n += 7) {
      const value = { note: "é".repeat(n % 50) + "x".repeat(n) };
      const want = keccak256(new Uint8Array([...Buffer.from(saltHex, "hex"), ...canonicalBytes(value)]));
      expect(commit({ salt, value })).toBe(want);
    }
  });

  it("does not depend on key order", () => {
    expect(commit({ salt, value: { a: 1, b: 2 } })).toBe(commit({ salt, value: { b: 2, a: 1 } }));
  });

  it("differs per salt, so equal records have unlinkable commitments", () => {
    const value = { decision: "OBJECTION" };
    expect(commit({ salt: generateSalt(), value })).not.toBe(commit({ salt: generateSalt(), value }));
  });

  it("refuses a short or malformed salt", () => {
    expect(() => commit({ salt: "abc", value: 1 })).toThrow(/32 random bytes/);
    expect(() => commit({ salt: `${salt}==`, value: 1 })).toThrow(CommitmentError);
  });

  it("verifies", () => {
    const commitment = commit({ salt, value: { v: 1 } });
    expect(verifyCommitment({ salt, value: { v: 1 }, commitment })).toBe(true);
    expect(verifyCommitment({ salt, value: { v: 2 }, commitment })).toBe(false);
    expect(verifyCommitment({ salt, value: { v: 1 }, commitment: "0x1234" })).toBe(false);
  });
});

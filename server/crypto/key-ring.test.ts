import { describe, expect, it } from "vitest";
import { testKeyRingSource } from "@/test/factories/test-keys";
import { KeyRingError, parseKeyRing } from "./key-ring";

const k32 = Buffer.alloc(32, 7).toString("base64");

describe("parseKeyRing", () => {
  it("takes the first key as active and keeps all for decryption", () => {
    const ring = parseKeyRing(`new:${k32}, old:${Buffer.alloc(32, 1).toString("base64")}`);
    expect(ring.active.id).toBe("new");
    expect([...ring.keys.keys()]).toEqual(["new", "old"]);
  });

  it.each([
    { desc: "empty", input: "", wantErr: /is empty/ },
    { desc: "missing colon", input: k32, wantErr: /entry 1: expected keyId:base64key/ },
    { desc: "bad id", input: `a b:${k32}`, wantErr: /key id must be/ },
    { desc: "not base64", input: "k1:!!!", wantErr: /not base64/ },
    { desc: "short key", input: `k1:${Buffer.alloc(16).toString("base64")}`, wantErr: /32 bytes, got 16/ },
    { desc: "duplicate id", input: `k1:${k32},k1:${k32}`, wantErr: /entry 2: key id "k1" appears twice/ },
  ])("refuses $desc", ({ input, wantErr }) => {
    expect(() => parseKeyRing(input)).toThrow(KeyRingError);
    expect(() => parseKeyRing(input)).toThrow(wantErr);
  });

  it("never echoes key material in errors", () => {
    const secret = Buffer.alloc(31, 9).toString("base64");
    try {
      parseKeyRing(`k1:${secret}`);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain(secret);
    }
  });

  it("parses generated rings", () => {
    expect(parseKeyRing(testKeyRingSource("a", "b", "c")).keys.size).toBe(3);
  });
});

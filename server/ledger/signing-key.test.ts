import { describe, expect, it } from "vitest";
import { newSeed, publicKeyObject, signatureHolds, signerFromSeed } from "./signing-key";

const hashOf = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

describe("an event signature's verdict", () => {
  it("is kept per key, hash and signature: a verdict reached once never answers for a changed hash, signature or key", () => {
    const portal = signerFromSeed(newSeed());
    const other = signerFromSeed(newSeed());
    const key = publicKeyObject(portal.publicKey);
    expect(publicKeyObject(portal.publicKey)).toBe(key); // parsed once
    const signature = portal.sign(hashOf(1));
    // Asked twice (the second from what was remembered), then with each part changed.
    expect(signatureHolds(key, hashOf(1), signature)).toBe(true);
    expect(signatureHolds(key, hashOf(1), signature)).toBe(true);
    expect(signatureHolds(key, hashOf(2), signature)).toBe(false); // hash changed, signature kept
    const altered = Buffer.from(signature, "base64");
    altered[7] = (altered[7] as number) ^ 1;
    expect(signatureHolds(key, hashOf(1), altered.toString("base64"))).toBe(false);
    expect(signatureHolds(publicKeyObject(other.publicKey), hashOf(1), signature)).toBe(false);
    expect(signatureHolds(key, hashOf(1), "not base64 at all")).toBe(false);
    // Remembered failures stay failures; the true verdict is still true.
    expect(signatureHolds(key, hashOf(2), signature)).toBe(false);
    expect(signatureHolds(key, hashOf(1), signature)).toBe(true);
  });
});

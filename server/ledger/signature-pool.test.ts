import { createHash, generateKeyPairSync, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkSignaturesInPool, type TSignatureCheck } from "./signature-pool";

describe("checking signatures on every core", () => {
  it("answers each check as a single verify would, in order, over the pool's threshold", async () => {
    const a = generateKeyPairSync("ed25519");
    const b = generateKeyPairSync("ed25519");
    const keys = [a.publicKey, b.publicKey];
    const checks: TSignatureCheck[] = [];
    const want: boolean[] = [];
    for (let i = 0; i < 5_000; i++) {
      const hash = createHash("sha256").update(`event ${i}`).digest();
      const signer = i % 2;
      let signature = sign(null, hash, signer === 0 ? a.privateKey : b.privateKey);
      let key = signer;
      let ok = true;
      if (i % 97 === 0) {
        signature = Buffer.from(signature);
        signature[5] = (signature[5] as number) ^ 1; // altered
        ok = false;
      } else if (i % 101 === 0) {
        key = 1 - signer; // someone else's key
        ok = false;
      } else if (i % 103 === 0) {
        signature = signature.subarray(0, 63); // truncated
        ok = false;
      }
      checks.push({ hash, signature, key });
      want.push(ok);
    }
    const here = (c: TSignatureCheck) => {
      try {
        return verify(null, c.hash, keys[c.key] as never, c.signature);
      } catch {
        return false;
      }
    };
    const der = keys.map((k) => k.export({ format: "der", type: "spki" }));
    expect(await checkSignaturesInPool(der, checks, here)).toEqual(want);
    // Under the threshold the same answers come from the calling thread.
    expect(await checkSignaturesInPool(der, checks.slice(0, 300), here)).toEqual(want.slice(0, 300));
  }, 60_000);
});

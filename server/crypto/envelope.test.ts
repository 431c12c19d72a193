import { describe, expect, it } from "vitest";
import { testKeyRingSource } from "@/test/factories/test-keys";
import { commit, generateSalt, verifyCommitment } from "./commitment";
import {
  createRecordKey,
  DecryptionError,
  decryptField,
  decryptJson,
  encryptField,
  encryptJson,
  needsRewrap,
  rewrapRecordKey,
  wrappedKeyId,
} from "./envelope";
import { KeyRingError, parseKeyRing } from "./key-ring";

const source = testKeyRingSource("k1");
const ring = parseKeyRing(source);
const context = "DonorIdentity.name:donor-1";

describe("envelope encryption", () => {
  it("round-trips a field and hides the plaintext", () => {
    const wrappedKey = createRecordKey({ ring });
    const ciphertext = encryptField({ ring, wrappedKey, plaintext: "Ada Lovelace", context });
    expect(ciphertext).toMatch(/^ef1\.[A-Za-z0-9_-]+$/);
    expect(ciphertext).not.toContain("Ada");
    expect(decryptField({ ring, wrappedKey, ciphertext, context })).toBe("Ada Lovelace");
  });

  it("carries the master key id in the wrapped key", () => {
    const wrappedKey = createRecordKey({ ring });
    expect(wrappedKey.startsWith("wk1.k1.")).toBe(true);
    expect(wrappedKeyId(wrappedKey)).toBe("k1");
  });

  it("uses a fresh IV each time", () => {
    const wrappedKey = createRecordKey({ ring });
    const a = encryptField({ ring, wrappedKey, plaintext: "same", context });
    const b = encryptField({ ring, wrappedKey, plaintext: "same", context });
    expect(a).not.toBe(b);
  });

  it("refuses a ciphertext moved to another field or record", () => {
    const wrappedKey = createRecordKey({ ring });
    const ciphertext = encryptField({ ring, wrappedKey, plaintext: "x", context });
    expect(() =>
      decryptField({ ring, wrappedKey, ciphertext, context: "DonorIdentity.name:donor-2" }),
    ).toThrow(DecryptionError);
  });

  it("detects tampering", () => {
    const wrappedKey = createRecordKey({ ring });
    const ciphertext = encryptField({ ring, wrappedKey, plaintext: "secret", context });
    const raw = Buffer.from(ciphertext.slice(4), "base64url");
    raw[14] = (raw[14] ?? 0) ^ 1;
    const altered = `ef1.${raw.toString("base64url")}`;
    expect(() => decryptField({ ring, wrappedKey, ciphertext: altered, context })).toThrow(/altered data/);
  });

  it("refuses a relabelled wrapped key", () => {
    const both = parseKeyRing(`${testKeyRingSource("k2")},${source}`);
    const wrappedKey = createRecordKey({ ring: both });
    const relabelled = wrappedKey.replace("wk1.k2.", "wk1.k1.");
    expect(() => encryptField({ ring: both, wrappedKey: relabelled, plaintext: "x", context })).toThrow(
      DecryptionError,
    );
  });

  it("round-trips JSON", () => {
    const wrappedKey = createRecordKey({ ring });
    const value = { decision: "DONATE_ALL", purposes: ["TRANSPLANT"] };
    const ciphertext = encryptJson({ ring, wrappedKey, value, context });
    expect(decryptJson({ ring, wrappedKey, ciphertext, context })).toEqual(value);
  });
});

describe("key rotation", () => {
  it("decrypts old data with the old key after a new key becomes active, then rewraps", () => {
    const wrappedKey = createRecordKey({ ring });
    const ciphertext = encryptField({ ring, wrappedKey, plaintext: "943 476 5919", context });

    const rotated = parseKeyRing(`${testKeyRingSource("k2")},${source}`);
    expect(rotated.active.id).toBe("k2");
    expect(decryptField({ ring: rotated, wrappedKey, ciphertext, context })).toBe("943 476 5919");
    expect(needsRewrap({ ring: rotated, wrappedKey })).toBe(true);

    const rewrapped = rewrapRecordKey({ ring: rotated, wrappedKey });
    expect(wrappedKeyId(rewrapped)).toBe("k2");
    expect(needsRewrap({ ring: rotated, wrappedKey: rewrapped })).toBe(false);
    expect(rewrapRecordKey({ ring: rotated, wrappedKey: rewrapped })).toBe(rewrapped);

    // Once everything is rewrapped the old key can leave the ring; the field ciphertext never changed.
    const retired = parseKeyRing(`${rotated.active.id}:${rotated.active.key.toString("base64")}`);
    expect(decryptField({ ring: retired, wrappedKey: rewrapped, ciphertext, context })).toBe("943 476 5919");
    expect(() => decryptField({ ring: retired, wrappedKey, ciphertext, context })).toThrow(KeyRingError);
  });
});

describe("crypto-shredding", () => {
  it("makes a record unreadable once its wrapped key and salt are destroyed", () => {
    // What a record looks like at rest: a key row (wrapped DEK + salt) and ciphertext elsewhere.
    const content = { decision: "DONATE_SELECTED", organs: ["KIDNEYS"] };
    const keyRow: { wrappedKey?: string; salt?: string } = {
      wrappedKey: createRecordKey({ ring }),
      salt: generateSalt(),
    };
    const ciphertext = encryptJson({
      ring,
      wrappedKey: keyRow.wrappedKey as string,
      value: content,
      context,
    });
    const onChain = commit({ salt: keyRow.salt as string, value: content });
    expect(verifyCommitment({ salt: keyRow.salt as string, value: content, commitment: onChain })).toBe(true);

    // Erasure: the key row is deleted. The ciphertext (e.g. in a backup) and the hash remain.
    delete keyRow.wrappedKey;
    delete keyRow.salt;

    // The DEK is not recoverable from the ciphertext or the master keys: no other record key opens it,
    // not even one created a moment later under the same master key.
    for (let i = 0; i < 20; i++) {
      expect(() => decryptJson({ ring, wrappedKey: createRecordKey({ ring }), ciphertext, context })).toThrow(
        DecryptionError,
      );
    }
    // The ciphertext does not embed the DEK or anything derived from the master key.
    expect(ciphertext.split(".")).toHaveLength(2);
    expect(Buffer.from(ciphertext.slice(4), "base64url").length).toBe(
      12 + JSON.stringify(content).length + 16,
    );

    // The commitment can no longer be tied to content: even the exact content does not verify under
    // any other salt, so a guess cannot be confirmed.
    for (let i = 0; i < 20; i++) {
      expect(verifyCommitment({ salt: generateSalt(), value: content, commitment: onChain })).toBe(false);
    }
  });
});

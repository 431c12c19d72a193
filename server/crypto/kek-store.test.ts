import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { testKeyRingSource } from "@/test/factories/test-keys";
import { createRecordKey, decryptField, encryptField, needsRewrap, rewrapRecordKey } from "./envelope";
import { KEK_FILE, kekFolder } from "./kek-store";
import { parseKeyRing } from "./key-ring";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "kek-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("key-encryption keys in the key folder", () => {
  it("creates one KEK on first use, shared by every reader of the folder", () => {
    const dir = tempDir();
    const masters = parseKeyRing(testKeyRingSource("m1"));
    const a = kekFolder({ dir, ring: masters });
    const b = kekFolder({ dir, ring: masters });
    expect(a.active().id).toBe(b.active().id);
    expect(a.active().key.equals(b.active().key)).toBe(true);
    // Sealed at rest: the file never holds the key itself.
    expect(readFileSync(path.join(dir, KEK_FILE), "utf8")).not.toContain(a.active().key.toString("base64"));
  });

  it("wraps data keys under the active KEK; after rotation and destruction the old wrap opens no more", () => {
    const dir = tempDir();
    const masters = parseKeyRing(testKeyRingSource("m1"));
    const folder = kekFolder({ dir, ring: masters });
    const ring = { ...masters, kek: folder };
    const wrappedKey = createRecordKey({ ring });
    expect(wrappedKey.startsWith(`wk2.${folder.active().id}.`)).toBe(true);
    const ciphertext = encryptField({ ring, wrappedKey, plaintext: "Ada", context: "t:1" });

    const old = folder.active().id;
    folder.rotate();
    expect(needsRewrap({ ring, wrappedKey })).toBe(true);
    const rewrapped = rewrapRecordKey({ ring, wrappedKey });
    expect(folder.destroyExcept([])).toEqual([old]);
    expect(decryptField({ ring, wrappedKey: rewrapped, ciphertext, context: "t:1" })).toBe("Ada");
    expect(() => decryptField({ ring, wrappedKey, ciphertext, context: "t:1" })).toThrow(
      /not in the key folder/,
    );
    // Another process's view of the folder loses the key too.
    expect(kekFolder({ dir, ring: masters }).get(old)).toBeUndefined();
  });

  it("a master-key-wrapped (wk1) data key is re-wrapped under the KEK", () => {
    const dir = tempDir();
    const masters = parseKeyRing(testKeyRingSource("m1"));
    const legacy = createRecordKey({ ring: masters });
    expect(legacy.startsWith("wk1.m1.")).toBe(true);
    const ring = { ...masters, kek: kekFolder({ dir, ring: masters }) };
    expect(needsRewrap({ ring, wrappedKey: legacy })).toBe(true);
    expect(rewrapRecordKey({ ring, wrappedKey: legacy }).startsWith("wk2.")).toBe(true);
  });

  it("is sealed again under a new master key, and then opens without the old one", () => {
    const dir = tempDir();
    const old = testKeyRingSource("m1");
    const folder = kekFolder({ dir, ring: parseKeyRing(old) });
    const kek = folder.active();
    const fresh = testKeyRingSource("m2");
    kekFolder({ dir, ring: parseKeyRing(`${fresh},${old}`) }).reseal();
    const reopened = kekFolder({ dir, ring: parseKeyRing(fresh) }).active();
    expect(reopened.id).toBe(kek.id);
    expect(reopened.key.equals(kek.key)).toBe(true);
  });
});

import "server-only";

import { hkdfSync } from "node:crypto";
import type { TKekStore } from "./kek-store";

/**
 * Master keys for envelope encryption, parsed from `DATA_ENCRYPTION_KEYS`
 * (`keyId:base64(32 bytes)`, comma-separated). The first key wraps new data keys; every key in the
 * ring can unwrap, so a key is rotated by putting a new one first and re-wrapping at leisure.
 */
export type TMasterKey = { readonly id: string; readonly key: Buffer };

export type TKeyRing = {
  /** Wraps every new data key and computes the blind index written on new rows. */
  readonly active: TMasterKey;
  /** All keys by id, the active one included; any of them can unwrap. */
  readonly keys: ReadonlyMap<string, TMasterKey>;
  /**
   * Key-encryption keys from the key folder. With them, data keys are wrapped by the active KEK
   * (`wk2`), which erasure rotates; without (unit tests, tools), by a master key (`wk1`).
   */
  readonly kek?: TKekStore;
};

export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyRingError";
  }
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses the key ring string. Errors name the entry by position and never echo key material, since
 * the message may end up in a start-up log.
 */
export function parseKeyRing(source: string | undefined): TKeyRing {
  if (!source || source.trim() === "") {
    throw new KeyRingError("DATA_ENCRYPTION_KEYS is empty: expected keyId:base64(32 bytes)[,keyId:base64…]");
  }
  const keys = new Map<string, TMasterKey>();
  const entries = source.split(",").map((e) => e.trim());
  entries.forEach((entry, i) => {
    const where = `DATA_ENCRYPTION_KEYS entry ${i + 1}`;
    const sep = entry.indexOf(":");
    if (sep < 0) throw new KeyRingError(`${where}: expected keyId:base64key`);
    const id = entry.slice(0, sep);
    const encoded = entry.slice(sep + 1);
    if (!KEY_ID.test(id)) {
      throw new KeyRingError(`${where}: key id must be 1–32 characters of A–Z, a–z, 0–9, _ or -`);
    }
    if (keys.has(id)) throw new KeyRingError(`${where}: key id "${id}" appears twice`);
    if (!BASE64.test(encoded)) throw new KeyRingError(`${where} ("${id}"): key is not base64`);
    const key = Buffer.from(encoded, "base64");
    if (key.length !== 32) {
      throw new KeyRingError(`${where} ("${id}"): key must be 32 bytes, got ${key.length}`);
    }
    keys.set(id, { id, key });
  });
  const first = keys.get(entries[0]?.slice(0, entries[0].indexOf(":")) ?? "");
  if (!first) throw new KeyRingError("DATA_ENCRYPTION_KEYS has no usable key");
  return { active: first, keys };
}

/** The master key with this id, or a KeyRingError naming the missing id (a key removed too early). */
export function masterKey(ring: TKeyRing, id: string): TMasterKey {
  const found = ring.keys.get(id);
  if (!found) {
    throw new KeyRingError(
      `master key "${id}" is not in DATA_ENCRYPTION_KEYS; re-add it or restore a backup`,
    );
  }
  return found;
}

/**
 * A sub-key for one purpose, so the same master key never serves both AES and HMAC directly.
 * HKDF-SHA256 with the purpose as `info` (RFC 5869).
 */
export function deriveSubKey(master: TMasterKey, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", master.key, Buffer.alloc(0), `transplant-portal/${purpose}`, 32));
}

import "server-only";

import { randomBytes } from "node:crypto";
import { DecryptionError, open, seal } from "./aead";
import { deriveSubKey, masterKey, type TKeyRing } from "./key-ring";

export { DecryptionError };

/**
 * Envelope encryption with AES-256-GCM. Each record (a donor identity, a consent version) gets its
 * own random data key (DEK); only the DEK wrapped by a key-encryption key (KEK) is stored. Field
 * ciphertexts never contain the DEK. Erasure clears the wrapped DEK and rotates the KEK (the KEK
 * lives outside the database), so every copy of the record's ciphertext and of its wrapped key —
 * dead tuples, WAL, backups, replicas, exports — stays unreadable for good.
 *
 * Formats (dot-separated, base64url parts, version first so later formats can coexist):
 * - wrapped data key: `wk2.<kekId>.<iv‖ciphertext‖tag>` under a key-encryption key from the key
 *   folder (rotated on every erasure, see kek-store.ts); `wk1.<masterKeyId>.…` under a master key
 *   (written before KEKs existed, and by rings without a key folder)
 * - field ciphertext: `ef1.<iv‖ciphertext‖tag>`
 */
export type TWrappedKey = string;
export type TFieldCiphertext = string;

const WRAP_PREFIX = "wk1";
const KEK_WRAP_PREFIX = "wk2";
const FIELD_PREFIX = "ef1";

// The wrapping key is derived, not the master key itself, so the master key is never used for two
// different things; the key id is authenticated, so a wrapped key cannot be relabelled.
function wrappingKey(ring: TKeyRing, id: string): Buffer {
  return deriveSubKey(masterKey(ring, id), "dek-wrap/v1");
}

function parseWrapped(wrapped: TWrappedKey): { prefix: string; keyId: string; sealed: string } {
  const [prefix, keyId, sealed, extra] = wrapped.split(".");
  if ((prefix !== WRAP_PREFIX && prefix !== KEK_WRAP_PREFIX) || !keyId || !sealed || extra !== undefined) {
    throw new DecryptionError("wrapped data key has an unknown format");
  }
  return { prefix, keyId, sealed };
}

/** Creates a new random data key for one record and returns it wrapped by the active master key. */
export function createRecordKey({ ring }: { ring: TKeyRing }): TWrappedKey {
  const dek = randomBytes(32);
  try {
    return wrapDataKey(ring, dek);
  } finally {
    dek.fill(0);
  }
}

function wrapDataKey(ring: TKeyRing, dek: Buffer): TWrappedKey {
  if (ring.kek) {
    const kek = ring.kek.active();
    return `${KEK_WRAP_PREFIX}.${kek.id}.${seal(kek.key, dek, `${KEK_WRAP_PREFIX}|${kek.id}`)}`;
  }
  const { id } = ring.active;
  return `${WRAP_PREFIX}.${id}.${seal(wrappingKey(ring, id), dek, `${WRAP_PREFIX}|${id}`)}`;
}

function unwrappingKey(ring: TKeyRing, prefix: string, keyId: string): Buffer {
  if (prefix === WRAP_PREFIX) return wrappingKey(ring, keyId);
  const kek = ring.kek?.get(keyId);
  if (!kek) {
    throw new DecryptionError(
      `key-encryption key ${keyId} is not in the key folder: destroyed by an erasure, or KEYS_DIR is not this database's`,
    );
  }
  return kek;
}

/** The data key inside a wrapped key (for the forensic tests; domain code uses the field helpers). */
export function unwrapDataKey(ring: TKeyRing, wrapped: TWrappedKey): Buffer {
  const { prefix, keyId, sealed } = parseWrapped(wrapped);
  const dek = open(unwrappingKey(ring, prefix, keyId), sealed, `${prefix}|${keyId}`, "wrapped data key");
  if (dek.length !== 32) throw new DecryptionError("wrapped data key has the wrong length");
  return dek;
}

/** The id of the master key that wrapped this data key (to find rows still needing a rewrap). */
export function wrappedKeyId(wrapped: TWrappedKey): string {
  return parseWrapped(wrapped).keyId;
}

/**
 * How every data key wrapped by the key new data keys get begins (the active KEK when the ring has a
 * key folder, else the active master key): a bulk re-wrap finds the others with it in SQL.
 */
export function currentWrapPrefix(ring: TKeyRing): string {
  return ring.kek ? `${KEK_WRAP_PREFIX}.${ring.kek.active().id}.` : `${WRAP_PREFIX}.${ring.active.id}.`;
}

/** True when the data key is not wrapped by the key new data keys get (see `currentWrapPrefix`). */
export function needsRewrap({ ring, wrappedKey }: { ring: TKeyRing; wrappedKey: TWrappedKey }): boolean {
  parseWrapped(wrappedKey);
  return !wrappedKey.startsWith(currentWrapPrefix(ring));
}

/**
 * Re-wraps a record's data key under the active KEK (or master key without a key folder). Field ciphertexts are
 * untouched, so rotation costs one small update per record. Returns the input when already current.
 */
export function rewrapRecordKey({
  ring,
  wrappedKey,
}: {
  ring: TKeyRing;
  wrappedKey: TWrappedKey;
}): TWrappedKey {
  if (!needsRewrap({ ring, wrappedKey })) return wrappedKey;
  const dek = unwrapDataKey(ring, wrappedKey);
  try {
    return wrapDataKey(ring, dek);
  } finally {
    dek.fill(0);
  }
}

function withDataKey<T>(ring: TKeyRing, wrappedKey: TWrappedKey, use: (dek: Buffer) => T): T {
  const dek = unwrapDataKey(ring, wrappedKey);
  try {
    return use(dek);
  } finally {
    dek.fill(0);
  }
}

export type TEncryptFieldOptions = {
  ring: TKeyRing;
  wrappedKey: TWrappedKey;
  plaintext: string;
  /**
   * Binds the ciphertext to where it belongs (e.g. `DonorIdentity.name:<id>`), so a ciphertext
   * copied into another field or row fails to decrypt instead of showing the wrong value.
   */
  context: string;
};

/** Encrypts one field with the record's data key. */
export function encryptField({
  ring,
  wrappedKey,
  plaintext,
  context,
}: TEncryptFieldOptions): TFieldCiphertext {
  return withDataKey(
    ring,
    wrappedKey,
    (dek) => `${FIELD_PREFIX}.${seal(dek, Buffer.from(plaintext, "utf8"), `${FIELD_PREFIX}|${context}`)}`,
  );
}

/** Decrypts a field written by `encryptField` with the same record key and context. */
export function decryptField({
  ring,
  wrappedKey,
  ciphertext,
  context,
}: {
  ring: TKeyRing;
  wrappedKey: TWrappedKey;
  ciphertext: TFieldCiphertext;
  context: string;
}): string {
  const [prefix, sealed, extra] = ciphertext.split(".");
  if (prefix !== FIELD_PREFIX || !sealed || extra !== undefined) {
    throw new DecryptionError("field ciphertext has an unknown format");
  }
  return withDataKey(ring, wrappedKey, (dek) =>
    open(dek, sealed, `${FIELD_PREFIX}|${context}`, "field").toString("utf8"),
  );
}

/** `encryptField` for a JSON value (consent content, an identity object). */
export function encryptJson(
  options: Omit<TEncryptFieldOptions, "plaintext"> & { value: unknown },
): TFieldCiphertext {
  const { value, ...rest } = options;
  return encryptField({ ...rest, plaintext: JSON.stringify(value) });
}

/** Reverse of `encryptJson`; the caller parses the result with its zod schema. */
export function decryptJson(options: Parameters<typeof decryptField>[0]): unknown {
  return JSON.parse(decryptField(options));
}

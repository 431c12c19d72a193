import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { deriveSubKey, masterKey, type TKeyRing } from "./key-ring";

/**
 * Envelope encryption with AES-256-GCM. Each record (a donor identity, a consent version) gets its
 * own random data key (DEK); only the DEK wrapped by a master key is stored, in a row of its own.
 * Field ciphertexts never contain the DEK, so deleting that one row (crypto-shredding) makes every
 * copy of the record's ciphertext — backups, replicas, exports — unreadable for good.
 *
 * Formats (dot-separated, base64url parts, version first so later formats can coexist):
 * - wrapped data key: `wk1.<masterKeyId>.<iv‖ciphertext‖tag>`
 * - field ciphertext: `ef1.<iv‖ciphertext‖tag>`
 */
export type TWrappedKey = string;
export type TFieldCiphertext = string;

const IV_BYTES = 12;
const TAG_BYTES = 16;
const WRAP_PREFIX = "wk1";
const FIELD_PREFIX = "ef1";

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecryptionError";
  }
}

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
}

function open(key: Buffer, sealed: string, aad: string, what: string): Buffer {
  const raw = Buffer.from(sealed, "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new DecryptionError(`${what} is truncated`);
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
  } catch {
    // GCM cannot tell a wrong key from tampering; say both rather than guess.
    throw new DecryptionError(`${what} cannot be decrypted: wrong key, wrong context, or altered data`);
  }
}

// The wrapping key is derived, not the master key itself, so the master key is never used for two
// different things; the key id is authenticated, so a wrapped key cannot be relabelled.
function wrappingKey(ring: TKeyRing, id: string): Buffer {
  return deriveSubKey(masterKey(ring, id), "dek-wrap/v1");
}

function parseWrapped(wrapped: TWrappedKey): { keyId: string; sealed: string } {
  const [prefix, keyId, sealed, extra] = wrapped.split(".");
  if (prefix !== WRAP_PREFIX || !keyId || !sealed || extra !== undefined) {
    throw new DecryptionError("wrapped data key has an unknown format");
  }
  return { keyId, sealed };
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
  const { id } = ring.active;
  return `${WRAP_PREFIX}.${id}.${seal(wrappingKey(ring, id), dek, `${WRAP_PREFIX}|${id}`)}`;
}

function unwrapDataKey(ring: TKeyRing, wrapped: TWrappedKey): Buffer {
  const { keyId, sealed } = parseWrapped(wrapped);
  const dek = open(wrappingKey(ring, keyId), sealed, `${WRAP_PREFIX}|${keyId}`, "wrapped data key");
  if (dek.length !== 32) throw new DecryptionError("wrapped data key has the wrong length");
  return dek;
}

/** The id of the master key that wrapped this data key (to find rows still needing a rewrap). */
export function wrappedKeyId(wrapped: TWrappedKey): string {
  return parseWrapped(wrapped).keyId;
}

/** True when the data key is wrapped by a master key other than the active one. */
export function needsRewrap({ ring, wrappedKey }: { ring: TKeyRing; wrappedKey: TWrappedKey }): boolean {
  return wrappedKeyId(wrappedKey) !== ring.active.id;
}

/**
 * Re-wraps a record's data key under the active master key (key rotation). Field ciphertexts are
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

import "server-only";

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { writeAtomic } from "@/server/crypto/atomic-file";

/**
 * The portal's event-signing key. Every ledger event's hash is signed with it (Ed25519, through
 * Node's OpenSSL: about ten times faster to check than secp256k1 in JavaScript, which a verifier
 * of every signature needs). The private key never enters the database: it is a file in the key
 * folder (`KEYS_DIR`, outside `DATA_DIR`) made on first start, or `LEDGER_SIGNING_KEY` (the 32-byte
 * seed in hex). Its public key is recorded in the ledger (`ledger.signing_key.introduced`, then
 * `…rotated`), so signatures are checked from the ledger (or a bundle) and the chain alone.
 */
export type TPortalSigner = {
  readonly keyId: string;
  /** Raw 32-byte public key, base64. */
  readonly publicKey: string;
  /** Signature over an event hash (0x-hex), base64. */
  sign(hash: string): string;
};

export const SIGNING_KEY_FILE = "ledger-signing-key.json";

const ZKeyFileSchema = z.object({
  format: z.literal("portal-ledger-signing-key/1"),
  keyId: z.string(),
  /** The 32-byte Ed25519 seed, hex. */
  seed: z.string().regex(/^[0-9a-f]{64}$/),
});

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410), so OpenSSL takes it as a private key.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
// SubjectPublicKeyInfo prefix of a raw Ed25519 public key.
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

const hashBytes = (hash: string) => Buffer.from(hash.startsWith("0x") ? hash.slice(2) : hash, "hex");

/** A short, stable id for a public key: the first 8 bytes of its SHA-256, hex. */
export function keyIdOf(publicKey: string): string {
  return `ed25519-${createHash("sha256").update(Buffer.from(publicKey, "base64")).digest("hex").slice(0, 16)}`;
}

/** The signer for a 32-byte seed (hex). */
export function signerFromSeed(seedHex: string): TPortalSigner {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, Buffer.from(seedHex, "hex")]),
    format: "der",
    type: "pkcs8",
  });
  const raw = createPublicKey(key).export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX.length);
  const publicKey = raw.toString("base64");
  return {
    keyId: keyIdOf(publicKey),
    publicKey,
    sign: (hash) => sign(null, hashBytes(hash), key).toString("base64"),
  };
}

export function newSeed(): string {
  const { privateKey } = generateKeyPairSync("ed25519");
  return privateKey.export({ format: "der", type: "pkcs8" }).subarray(PKCS8_PREFIX.length).toString("hex");
}

/** Public keys already parsed, by their raw base64: a ledger has a handful, read on every page. */
const publicKeys = new Map<string, KeyObject>();

/** A public key (raw, base64) ready for `verify`; parsed once per process, not per read. */
export function publicKeyObject(publicKey: string): KeyObject {
  const cached = publicKeys.get(publicKey);
  if (cached) return cached;
  const key = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, Buffer.from(publicKey, "base64")]),
    format: "der",
    type: "spki",
  });
  if (publicKeys.size >= 1_000) publicKeys.clear();
  publicKeys.set(publicKey, key);
  return key;
}

/**
 * Verdicts already reached, per key: whether a signature holds is fixed by the key, the hash and
 * the signature, so a page that shows the same events again (a provenance read re-checks the whole
 * history) does not pay an Ed25519 check per event. A changed hash or signature is a new entry.
 */
const verdicts = new WeakMap<KeyObject, Map<string, boolean>>();
const VERDICTS_PER_KEY = 200_000;

/** Whether `signature` (base64) is `key`'s signature over the event hash. Never throws. */
export function signatureHolds(key: KeyObject, hash: string, signature: string): boolean {
  let known = verdicts.get(key);
  if (!known) {
    known = new Map();
    verdicts.set(key, known);
  }
  const entry = `${hash}|${signature}`;
  const cached = known.get(entry);
  if (cached !== undefined) return cached;
  let holds: boolean;
  try {
    holds = verify(null, hashBytes(hash), key, Buffer.from(signature, "base64"));
  } catch {
    holds = false;
  }
  if (known.size >= VERDICTS_PER_KEY) known.clear();
  known.set(entry, holds);
  return holds;
}

const keyFileText = (seed: string) =>
  `${JSON.stringify({ format: "portal-ledger-signing-key/1", keyId: signerFromSeed(seed).keyId, seed }, null, 2)}\n`;

/**
 * The signing key in `dir`, made on first use. Throws (naming the file) when the file is not a
 * signing key, rather than silently making a new one that no event history knows.
 */
export function loadOrCreateSigningKey(dir: string): TPortalSigner {
  const file = path.join(dir, SIGNING_KEY_FILE);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    writeAtomic(file, keyFileText(newSeed()), true); // several processes starting at once: one wins
    text = readFileSync(file, "utf8");
  }
  const parsed = ZKeyFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`${file} is not a ledger signing key (${parsed.error.issues[0]?.message})`);
  return signerFromSeed(parsed.data.seed);
}

/** Replaces the key file with `seed` (after the rotation is recorded in the ledger). */
export function replaceSigningKey(dir: string, seed: string): void {
  writeAtomic(path.join(dir, SIGNING_KEY_FILE), keyFileText(seed));
}

import { randomBytes, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";
import { keccak256Into } from "@/server/ledger/keccak";

/**
 * Commitments that go on chain: keccak256(salt ‖ RFC 8785 canonical JSON of the record). The
 * 32-byte random salt makes the hash reveal nothing, even for a record with few possible values
 * (a decision among three, a birth date); destroying the salt (crypto-shredding) leaves a hash that
 * proves a record existed and can never again be matched to any content.
 */
export type TSalt = string;

const SALT_BYTES = 32;

export class CommitmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommitmentError";
  }
}

/** A fresh random salt, base64url-encoded (43 characters). */
export function generateSalt(): TSalt {
  return randomBytes(SALT_BYTES).toString("base64url");
}

function saltBytes(salt: TSalt): Buffer {
  const bytes = Buffer.from(salt, "base64url");
  if (bytes.length !== SALT_BYTES || bytes.toString("base64url") !== salt) {
    throw new CommitmentError(`salt must be ${SALT_BYTES} random bytes, base64url-encoded`);
  }
  return bytes;
}

/** RFC 8785 canonical bytes of a JSON value; refuses values JSON cannot represent faithfully. */
export function canonicalBytes(value: unknown): Buffer {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (e) {
    throw new CommitmentError(`value cannot be canonicalised: ${(e as Error).message}`);
  }
  if (text === undefined) throw new CommitmentError("value cannot be canonicalised (undefined)");
  return Buffer.from(text, "utf8");
}

/** The 0x-prefixed keccak256 commitment to `value` under `salt`. */
export function commit({ salt, value }: { salt: TSalt; value: unknown }): string {
  const bytes = Buffer.concat([saltBytes(salt), canonicalBytes(value)]);
  // The ledger's allocation-free Keccak: ethers' took two thirds of loading a waiting list at start.
  const digest = Buffer.alloc(32);
  keccak256Into(bytes, 0, bytes.length, digest, 0);
  return `0x${digest.toString("hex")}`;
}

/** True when `commitment` is the commitment to `value` under `salt` (constant-time compare). */
export function verifyCommitment({
  salt,
  value,
  commitment,
}: {
  salt: TSalt;
  value: unknown;
  commitment: string;
}): boolean {
  const expected = Buffer.from(commit({ salt, value }).slice(2), "hex");
  const given = Buffer.from(commitment.replace(/^0x/i, ""), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

import { keccakF } from "./keccak-f";

/**
 * Keccak-256 (Ethereum's, not NIST SHA3-256) into caller-owned bytes, with one preallocated state:
 * the Merkle roots and event hashes of a whole-ledger check run it about a million times, and
 * js-sha3's allocation per call (its state, block array and output) was a fifth of the verifier's
 * time in garbage collection. Same digests as js-sha3 (keccak.test.ts, every length 0–700).
 */

const RATE = 136;
// A plain array of int32 numbers, as js-sha3 keeps it: V8 runs the unrolled permutation faster on
// it than on an Int32Array.
const state: number[] = new Array<number>(50).fill(0);

/**
 * keccak256(input[from, to)) written to `out` at `outOffset` (32 bytes). Not reentrant (one shared
 * state), which is safe because it never yields.
 */
export function keccak256Into(
  input: Uint8Array,
  from: number,
  to: number,
  out: Uint8Array,
  outOffset: number,
): void {
  for (let i = 0; i < 50; i++) state[i] = 0;
  let o = from;
  for (;;) {
    const rest = to - o;
    const full = rest >= RATE;
    const take = full ? RATE : rest;
    // Little-endian 32-bit words of the block; the padding (0x01 … 0x80) in the last one.
    for (let w = 0; w < RATE / 4; w++) {
      let word = 0;
      for (let b = 0; b < 4; b++) {
        const at = w * 4 + b;
        let byte = at < take ? (input[o + at] as number) : 0;
        if (!full && at === take) byte |= 0x01;
        if (!full && at === RATE - 1) byte |= 0x80;
        word |= byte << (8 * b);
      }
      (state[w] as number) ^= word;
    }
    keccakF(state);
    if (!full) break;
    o += RATE;
  }
  for (let w = 0; w < 8; w++) {
    const word = state[w] as number;
    out[outOffset + 4 * w] = word & 0xff;
    out[outOffset + 4 * w + 1] = (word >>> 8) & 0xff;
    out[outOffset + 4 * w + 2] = (word >>> 16) & 0xff;
    out[outOffset + 4 * w + 3] = (word >>> 24) & 0xff;
  }
}

let scratch = Buffer.alloc(4096);
const digest = Buffer.alloc(32);

/** keccak256 of a string's UTF-8 bytes, as 0x-prefixed lower-case hex. */
export function keccak256Utf8(text: string): string {
  // At most 3 bytes per UTF-16 unit: grow once instead of measuring every string.
  if (text.length * 3 > scratch.length) scratch = Buffer.alloc(text.length * 3);
  const n = scratch.write(text, 0, "utf8");
  keccak256Into(scratch, 0, n, digest, 0);
  return `0x${digest.toString("hex")}`;
}

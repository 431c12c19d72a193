import "server-only";

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/** One Ed25519 check: the 32-byte event hash, the 64-byte signature, and which key (index into `keys`). */
export type TSignatureCheck = { hash: Buffer; signature: Buffer; key: number };

/**
 * Below this many checks a pool costs more to start (tens of ms per thread) than it saves: they
 * run on the calling thread.
 */
const POOL_THRESHOLD = 4_000;

// Plain CommonJS, evaluated in each thread: no file path to resolve, so it runs the same under
// tsx, Node and Next's server bundle. Each thread checks its share synchronously, with no promise
// or callback per signature (per-call thread-pool dispatch cost about as much as the check itself).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createPublicKey, verify } = require("node:crypto");
const keys = workerData.keys.map((der) => createPublicKey({ key: Buffer.from(der), format: "der", type: "spki" }));
const { items, keyIndex } = workerData;
const n = keyIndex.length;
const out = new Uint8Array(n);
for (let i = 0; i < n; i++) {
  const hash = items.subarray(i * 96, i * 96 + 32);
  const signature = items.subarray(i * 96 + 32, i * 96 + 96);
  try {
    out[i] = verify(null, hash, keys[keyIndex[i]], signature) ? 1 : 0;
  } catch {
    out[i] = 0;
  }
}
parentPort.postMessage(out, [out.buffer]);
`;

/**
 * Checks many Ed25519 signatures across the machine's cores: the checks are split into one share per
 * core, each thread verifies its share and answers once. `keys` are SPKI DER public keys. Answers
 * are in the order of `checks`; a malformed signature is simply false.
 */
export async function checkSignaturesInPool(
  keys: readonly Buffer[],
  checks: readonly TSignatureCheck[],
  verifyHere: (check: TSignatureCheck) => boolean,
): Promise<boolean[]> {
  if (checks.length < POOL_THRESHOLD) return checks.map(verifyHere);
  const threads = Math.max(1, Math.min(availableParallelism(), 8));
  const share = Math.ceil(checks.length / threads);
  const parts: Array<Promise<Uint8Array>> = [];
  for (let t = 0; t < threads; t++) {
    const slice = checks.slice(t * share, (t + 1) * share);
    if (slice.length === 0) continue;
    const items = new Uint8Array(slice.length * 96);
    const keyIndex = new Uint16Array(slice.length);
    slice.forEach((c, i) => {
      // A signature of the wrong length can never hold: zeros fail the check in the thread.
      if (c.hash.length === 32) items.set(c.hash, i * 96);
      if (c.signature.length === 64) items.set(c.signature, i * 96 + 32);
      keyIndex[i] = c.key;
    });
    parts.push(
      new Promise<Uint8Array>((resolve, reject) => {
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { keys: keys.map((k) => new Uint8Array(k)), items, keyIndex },
          transferList: [items.buffer, keyIndex.buffer],
        });
        worker.once("message", (out: Uint8Array) => {
          resolve(out);
          void worker.terminate();
        });
        worker.once("error", reject);
      }),
    );
  }
  const answers = await Promise.all(parts);
  const out: boolean[] = [];
  answers.forEach((a, t) => {
    const slice = checks.slice(t * share, (t + 1) * share);
    // Wrong-length inputs were zeroed above: decide those here, never from the zeros.
    for (const [i, c] of slice.entries()) {
      out.push(c.hash.length === 32 && c.signature.length === 64 && a[i] === 1);
    }
  });
  return out;
}

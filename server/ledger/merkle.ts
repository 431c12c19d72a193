import { createHash } from "node:crypto";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import sha3 from "js-sha3";
import { keccak256Into } from "./keccak";

/**
 * Merkle trees in OpenZeppelin's StandardMerkleTree convention: leaf =
 * keccak256(keccak256(abi.encode(eventHash))), sorted pairs. Precondition: `hashes` are in leaf
 * index order (the order stored in AnchorLeaf), so rebuilding gives the same root. OpenZeppelin's
 * own library: the reference the tests hold `merkleRoot` and `packedTree` to.
 */
export function buildTree(hashes: string[]): StandardMerkleTree<[string]> {
  if (hashes.length === 0) throw new Error("a batch needs at least one event");
  return StandardMerkleTree.of(
    hashes.map((h) => [h] as [string]),
    ["bytes32"],
  );
}

const bytes = (hex: string): Uint8Array => Buffer.from(hex.startsWith("0x") ? hex.slice(2) : hex, "hex");
const hex = (b: Uint8Array): string => `0x${Buffer.from(b).toString("hex")}`;
// js-sha3 rather than @noble/hashes: about four times faster, which the audits' hot paths need.
const keccak_256 = (b: Uint8Array): Uint8Array => new Uint8Array(sha3.keccak_256.arrayBuffer(b));

/**
 * The root `buildTree(hashes).root` gives, without building the tree object: leaves hashed and
 * sorted, then OpenZeppelin's array layout (leaves at the end in reverse, each inner node the hash
 * of its sorted children). Everything in one buffer with no allocation per hash: a whole-ledger
 * verification rebuilds every batch's root, hundreds of thousands of leaves.
 */
export function merkleRoot(hashes: string[]): string {
  const tree = packTree(hashes);
  return `0x${tree.buffer.toString("hex", 0, 32)}`;
}

/** OpenZeppelin's array layout in one buffer (node i at i × 32), and where each hash's leaf went. */
function packTree(hashes: string[]): { buffer: Buffer; treeIndex: Int32Array } {
  const n = hashes.length;
  if (n === 0) throw new Error("a batch needs at least one event");
  const nodes = 2 * n - 1;
  // Leaves first, in the order given; then sorted into the tree's tail.
  const leaves = Buffer.alloc(n * 32);
  const scratch = Buffer.alloc(32);
  for (let i = 0; i < n; i++) {
    const h = hashes[i] as string;
    // As Buffer.from(hex) reads it: up to the first character that is not hex.
    const written = scratch.write(h.startsWith("0x") ? h.slice(2) : h, 0, "hex");
    keccak256Into(scratch, 0, written, scratch, 0);
    keccak256Into(scratch, 0, 32, leaves, i * 32);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => leaves.compare(leaves, b * 32, b * 32 + 32, a * 32, a * 32 + 32));
  const tree = Buffer.alloc(nodes * 32);
  const treeIndex = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const original = order[k] as number;
    const at = nodes - 1 - k;
    leaves.copy(tree, at * 32, original * 32, original * 32 + 32);
    treeIndex[original] = at;
  }
  const pair = Buffer.alloc(64);
  for (let i = nodes - 1 - n; i >= 0; i--) {
    const a = (2 * i + 1) * 32;
    const b = (2 * i + 2) * 32;
    // Sorted pair: the lower child first (compare: the node at a against the node at b).
    const aFirst = tree.compare(tree, b, b + 32, a, a + 32) <= 0;
    tree.copy(pair, aFirst ? 0 : 32, a, a + 32);
    tree.copy(pair, aFirst ? 32 : 0, b, b + 32);
    keccak256Into(pair, 0, 64, tree, i * 32);
  }
  return { buffer: tree, treeIndex };
}

/** A batch's tree, packed: every node's 32 bytes in one buffer, OpenZeppelin's array layout. */
export type TPackedTree = {
  root: string;
  /** Number of leaves. */
  size: number;
  /** The proof of the `index`-th hash given (leaf index order), as `getProof(index)` gives it. */
  proof(index: number): string[];
  /** Bytes held, for a cache's budget. */
  bytes: number;
};

/**
 * The same tree as `buildTree(hashes)` (same root, same proofs), built with js-sha3 into one
 * buffer instead of through ethers' ABI encoder: the provenance and receipt pages rebuilt a batch's
 * tree on every read, and `StandardMerkleTree.of` was the largest cost in the profile (about
 * 20 ms for a batch of 1,000). Precondition: `hashes` in leaf index order.
 */
export function packedTree(hashes: string[]): TPackedTree {
  const n = hashes.length;
  const { buffer: tree, treeIndex } = packTree(hashes);
  const node = (i: number) => `0x${tree.toString("hex", i * 32, i * 32 + 32)}`;
  return {
    root: node(0),
    size: n,
    bytes: tree.length + treeIndex.byteLength,
    proof(index: number): string[] {
      let i = treeIndex[index];
      if (i === undefined || index < 0 || index >= n) throw new Error(`no leaf ${index} in a tree of ${n}`);
      const out: string[] = [];
      while (i > 0) {
        out.push(node(i % 2 === 1 ? i + 1 : i - 1));
        i = Math.floor((i - 1) / 2);
      }
      return out;
    },
  };
}

/**
 * The leaf hash the contract's `verify` expects for an event hash: abi.encode of one bytes32 is
 * the 32 bytes themselves, hashed twice (StandardMerkleTree's second-preimage protection).
 */
export function leafHash(hash: string): string {
  return hex(keccak_256(keccak_256(bytes(hash))));
}

/**
 * Checks an inclusion proof against a root without any chain or database: OpenZeppelin's
 * MerkleProof.processProof with sorted pairs. Proofs of one batch share their upper nodes, so a
 * verifier checking many of them passes one `memo` to hash each inner node once (the hot path).
 */
export function verifyProof(
  root: string,
  hash: string,
  proof: string[],
  memo?: Map<string, string>,
): boolean {
  // A verdict is a pure function of its three inputs: one that held is remembered (by a digest of
  // them), so a page re-checking an organ's whole history hashes only its new steps' proofs.
  const key = createHash("sha256")
    .update(`${root}|${hash}|${proof.join("|")}`)
    .digest("base64");
  if (provenProofs.has(key)) return true;
  const holds = processProof(root, hash, proof, memo);
  if (holds) {
    if (provenProofs.size >= PROVEN_PROOFS_MAX)
      provenProofs.delete(provenProofs.keys().next().value as string);
    provenProofs.set(key, true);
  }
  return holds;
}

const PROVEN_PROOFS_MAX = 50_000; // about 5 MB of digests
const provenProofs = new Map<string, true>();

function processProof(root: string, hash: string, proof: string[], memo?: Map<string, string>): boolean {
  let node = hex(keccak_256(keccak_256(bytes(hash))));
  for (const p of proof) {
    const sibling = p.toLowerCase();
    // Lower-case hex strings of equal length sort like the bytes they encode.
    const key = node <= sibling ? node + sibling.slice(2) : sibling + node.slice(2);
    let parent = memo?.get(key);
    if (parent === undefined) {
      parent = hex(keccak_256(bytes(key)));
      memo?.set(key, parent);
    }
    node = parent;
  }
  return node === root.toLowerCase();
}

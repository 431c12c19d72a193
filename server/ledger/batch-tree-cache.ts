import type { TPackedTree } from "./merkle";

/**
 * Merkle trees of anchored batches, kept in memory between reads. A batch's tree is fixed by its
 * leaves, and a tree is kept only when it was rebuilt from every leaf and its root is the one the
 * batch recorded (and anchored): from then on it can only ever give the same proofs. An event whose
 * stored hash was changed later still fails its proof, since the proof leads from the hash the
 * event now claims. Bounded by bytes, least recently used out first.
 */
const BUDGET_BYTES = 48 * 1024 * 1024;
const trees = new Map<string, TPackedTree>();
let held = 0;

const keyOf = (batchId: number, root: string) => `${batchId}:${root.toLowerCase()}`;

/** The tree of batch `batchId` with recorded root `root`, if a read built it already. */
export function cachedBatchTree(batchId: number, root: string): TPackedTree | undefined {
  const key = keyOf(batchId, root);
  const tree = trees.get(key);
  if (tree) {
    trees.delete(key); // most recently used last
    trees.set(key, tree);
  }
  return tree;
}

/** Keeps a tree rebuilt from all of a batch's leaves, if its root is the batch's recorded root. */
export function rememberBatchTree(batchId: number, root: string, tree: TPackedTree): void {
  if (tree.root.toLowerCase() !== root.toLowerCase() || tree.bytes > BUDGET_BYTES) return;
  const key = keyOf(batchId, root);
  if (trees.has(key)) return;
  trees.set(key, tree);
  held += tree.bytes;
  for (const [k, t] of trees) {
    if (held <= BUDGET_BYTES) break;
    trees.delete(k);
    held -= t.bytes;
  }
}

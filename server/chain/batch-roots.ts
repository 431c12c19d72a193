import "server-only";

import { env } from "@/server/env";
import type { TAnchorRegistry } from "./client";

/**
 * Batch roots as the contract holds them, read once when final. A batch anchored at least
 * CHAIN_CONFIRMATIONS blocks deep has a root that no longer changes, so the first read of it is
 * the answer for every later page; only batches still short of their confirmations (and the chain
 * head, for the confirmations shown) are read again, and the head at most once a second for
 * everyone. Callers show `readAt`: when the chain was last actually read.
 */
type TFinal = { root: string; readAt: Date };
const finalRoots = new Map<string, TFinal>();
const MAX_FINAL = 200_000;
let head: { address: string; block: number; readAt: Date; at: number } | null = null;
const HEAD_TTL_MS = 1_000;

export type TBatchRoots = {
  /** Root per batch index; null when the contract has no such batch (yet). */
  roots: Map<number, string | null>;
  /** The chain's head block, as last read. */
  head: number | null;
  /** When the chain was last read for this answer (the oldest read it relies on). */
  readAt: Date;
};

async function chainHead(
  registry: TAnchorRegistry,
  address: string,
  atLeast: number,
): Promise<{ block: number; readAt: Date }> {
  // A cached head older than a block the database already recorded a batch in is stale: read again.
  const fresh =
    head && head.address === address && Date.now() - head.at < HEAD_TTL_MS && head.block >= atLeast;
  if (head && fresh) return head;
  const runner = registry.runner as { provider?: { getBlockNumber(): Promise<number> } } | null;
  if (!runner?.provider) throw new Error("the registry has no provider");
  const block = await runner.provider.getBlockNumber();
  head = { address, block, readAt: new Date(), at: Date.now() };
  return head;
}

/**
 * The on-chain roots of `batches` (index and the block the database recorded it in, if any).
 * Throws when the chain cannot be read; callers then say the chain was not checked.
 */
export async function readBatchRoots(
  registry: TAnchorRegistry,
  batches: Array<{ index: number; blockNumber: number | null }>,
): Promise<TBatchRoots> {
  const address = String(registry.target).toLowerCase();
  const confirmations = env().CHAIN_CONFIRMATIONS;
  const newestRecorded = batches.reduce((n, b) => Math.max(n, b.blockNumber ?? 0), 0);
  const { block, readAt: headReadAt } = await chainHead(registry, address, newestRecorded);
  const roots = new Map<number, string | null>();
  let oldest = headReadAt;
  const open: Array<{ index: number; blockNumber: number | null }> = [];
  for (const b of batches) {
    const known = finalRoots.get(`${address}:${b.index}`);
    if (known) {
      roots.set(b.index, known.root);
      if (known.readAt < oldest) oldest = known.readAt;
    } else open.push(b);
  }
  if (open.length) {
    const count = Number(await registry.batchCount());
    const readAt = new Date();
    await Promise.all(
      open.map(async (b) => {
        const root = b.index < count ? (await registry.batchAt(b.index))[0] : null;
        roots.set(b.index, root);
        const deep = b.blockNumber !== null && block - b.blockNumber + 1 >= confirmations;
        if (root && deep) {
          if (finalRoots.size >= MAX_FINAL) finalRoots.delete(finalRoots.keys().next().value as string);
          finalRoots.set(`${address}:${b.index}`, { root, readAt });
        }
      }),
    );
  }
  return { roots, head: block, readAt: oldest };
}

const finalVerdicts = new Map<string, boolean>();

/**
 * The contract's own `verify(batch, leaf, proof)` and the batch's root on chain, with the head
 * block for confirmations. For a final batch (root read once, as above) the contract's answer for
 * one leaf and proof cannot change either, so it is asked once.
 */
export async function checkOnChain(
  registry: TAnchorRegistry,
  opts: { batch: number; blockNumber: number | null; leaf: string; proof: string[] },
): Promise<{ root: string | null; proofVerified: boolean; head: number | null; readAt: Date }> {
  const { roots, head, readAt } = await readBatchRoots(registry, [
    { index: opts.batch, blockNumber: opts.blockNumber },
  ]);
  const root = roots.get(opts.batch) ?? null;
  const address = String(registry.target).toLowerCase();
  const final = finalRoots.has(`${address}:${opts.batch}`);
  const key = `${address}:${opts.batch}:${opts.leaf}:${opts.proof.join("")}`.toLowerCase();
  let proofVerified = final ? finalVerdicts.get(key) : undefined;
  if (proofVerified === undefined) {
    proofVerified = await registry.verify(opts.batch, opts.leaf, opts.proof);
    if (final) {
      if (finalVerdicts.size >= MAX_FINAL) finalVerdicts.delete(finalVerdicts.keys().next().value as string);
      finalVerdicts.set(key, proofVerified);
    }
  }
  return { root, proofVerified, head, readAt };
}

import "server-only";

import {
  type BaseContractMethod,
  Contract,
  type ContractTransactionResponse,
  JsonRpcProvider,
  Wallet,
} from "ethers";
import { env } from "@/server/env";
import { artifact } from "./compile";

/**
 * A JSON-RPC provider. `cacheTimeout: -1` turns off ethers' request cache, without which rapid
 * transactions read a stale nonce ("nonce too low"); a static network skips chain-id polling.
 */
export function createProvider(rpcUrl: string): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, undefined, {
    staticNetwork: true,
    cacheTimeout: -1,
    polling: true,
    pollingInterval: 250,
  });
}

/** The AnchorRegistry's methods, typed (ethers' Contract indexes them loosely). */
export type TAnchorRegistry = Contract & {
  anchor: BaseContractMethod<[string, number | bigint, string], bigint, ContractTransactionResponse>;
  verify: BaseContractMethod<[number | bigint, string, string[]], boolean, boolean>;
  batchCount: BaseContractMethod<[], bigint, bigint>;
  /** `[root, previousRoot]`; a batch's size and time are in its `BatchAnchored` event (`readBatch`). */
  batchAt: BaseContractMethod<[number | bigint], [string, string], [string, string]>;
  latestRoot: BaseContractMethod<[], string, string>;
};

/**
 * The anchor registry when a chain is configured, else null: proofs, receipts and provenance are
 * then shown unchecked on chain instead of failing.
 */
export function optionalRegistry(): TAnchorRegistry | null {
  try {
    return chainClient().registry;
  } catch {
    return null;
  }
}

/** Binds the AnchorRegistry ABI at `address` to a signer or provider. */
export function anchorRegistryAt(address: string, runner: Wallet | JsonRpcProvider): TAnchorRegistry {
  return new Contract(address, artifact("AnchorRegistry").abi as never, runner) as unknown as TAnchorRegistry;
}

export type TAnchoredBatch = {
  index: number;
  root: string;
  previousRoot: string;
  count: number;
  blockNumber: number;
  timestamp: number;
  txHash: string;
};

/**
 * A batch as anchored: its root, the root it follows and its size from its `BatchAnchored` event,
 * when (the event's block) and in which transaction; null when no such batch is on chain. What the
 * first registry's `batchAt` returned from storage, now read from the log (one slot less per batch).
 */
export async function readBatch(registry: TAnchorRegistry, index: number): Promise<TAnchoredBatch | null> {
  const filter = registry.filters.BatchAnchored?.(index);
  const [log] = filter ? await registry.queryFilter(filter) : [];
  if (!log || !("args" in log)) return null;
  const block = await log.getBlock();
  return {
    index,
    root: String(log.args.root),
    previousRoot: String(log.args.previousRoot),
    count: Number(log.args.count),
    blockNumber: log.blockNumber,
    timestamp: block.timestamp,
    txHash: log.transactionHash,
  };
}

export type TChainClient = {
  provider: JsonRpcProvider;
  /** Null for a read-only portal (no DEPLOYER_PRIVATE_KEY). */
  signer: Wallet | null;
  registry: TAnchorRegistry;
  address: string;
};

const KEY = Symbol.for("transplant-portal.chain");
type TGlobal = typeof globalThis & { [KEY]?: TChainClient };

/** The one chain client of this process, built from the validated environment on first use. */
export function chainClient(): TChainClient {
  const g = globalThis as TGlobal;
  if (g[KEY]) return g[KEY];
  const { RPC_URL, DEPLOYER_PRIVATE_KEY, ANCHOR_REGISTRY_ADDRESS } = env();
  if (!RPC_URL) throw new Error("RPC_URL is not set (`npm start` sets it after starting anvil)");
  if (!ANCHOR_REGISTRY_ADDRESS)
    throw new Error("ANCHOR_REGISTRY_ADDRESS is not set (`npm start` deploys the registry)");
  const provider = createProvider(RPC_URL);
  const signer = DEPLOYER_PRIVATE_KEY ? new Wallet(DEPLOYER_PRIVATE_KEY, provider) : null;
  const registry = anchorRegistryAt(ANCHOR_REGISTRY_ADDRESS, signer ?? provider);
  const client: TChainClient = { provider, signer, registry, address: ANCHOR_REGISTRY_ADDRESS };
  g[KEY] = client;
  return client;
}

/** Forgets the client (tests that point the process at another chain). */
export function resetChainClient(): void {
  const g = globalThis as TGlobal;
  g[KEY]?.provider.destroy();
  g[KEY] = undefined;
}

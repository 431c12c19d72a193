import "server-only";

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ContractFactory, getAddress, Wallet } from "ethers";
import { createProvider } from "./client";
import { artifact } from "./compile";
import { assertChainSupportsContract } from "./hardfork";

export type TDeployment = { address: string; chainId: string; deployed: boolean };

type TRecord = Record<string, { AnchorRegistry: string; genesisHash: string }>;

/**
 * Makes sure an AnchorRegistry exists and returns its address: the configured one (checked to hold
 * code), or the one recorded in `stateFile` for this chain (same chain id and genesis block), or a
 * new deployment, which is then recorded. The deployer holds the anchorer role.
 */
export async function ensureAnchorRegistry(opts: {
  rpcUrl: string;
  privateKey: string;
  address?: string;
  stateFile?: string;
}): Promise<TDeployment> {
  const provider = createProvider(opts.rpcUrl);
  try {
    const chainId = BigInt(await provider.send("eth_chainId", [])).toString();
    if (opts.address) {
      const address = getAddress(opts.address);
      if ((await provider.getCode(address)) === "0x") {
        throw new Error(`ANCHOR_REGISTRY_ADDRESS ${address} has no contract code on chain ${chainId}`);
      }
      return { address, chainId, deployed: false };
    }
    const genesisHash = (await provider.getBlock(0))?.hash ?? "";
    const records: TRecord =
      opts.stateFile && existsSync(opts.stateFile) ? JSON.parse(readFileSync(opts.stateFile, "utf8")) : {};
    const known = records[chainId];
    if (
      known &&
      known.genesisHash === genesisHash &&
      (await provider.getCode(known.AnchorRegistry)) !== "0x"
    ) {
      return { address: known.AnchorRegistry, chainId, deployed: false };
    }
    await assertChainSupportsContract(provider, opts.rpcUrl);
    const wallet = new Wallet(opts.privateKey, provider);
    const a = artifact("AnchorRegistry");
    const factory = new ContractFactory(a.abi as never, a.bytecode, wallet);
    const contract = await factory.deploy(wallet.address);
    await contract.waitForDeployment();
    const address = await contract.getAddress();
    if (opts.stateFile) {
      mkdirSync(path.dirname(opts.stateFile), { recursive: true });
      records[chainId] = { AnchorRegistry: address, genesisHash };
      writeFileSync(opts.stateFile, JSON.stringify(records, null, 2));
    }
    return { address, chainId, deployed: true };
  } finally {
    provider.destroy();
  }
}

import { ContractFactory, type Wallet } from "ethers";
import { anchorRegistryAt, type TAnchorRegistry } from "@/server/chain/client";
import { artifact } from "@/server/chain/compile";
import { ensureAnchorRegistry } from "@/server/chain/deploy";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { createAnchorWorker } from "@/server/ledger/anchor-worker";
import { ANVIL_DEV_KEY, startAnvil } from "@/server/runtime/chain";

/**
 * One chain for the integration run: RPC_URL's endpoint when set (with DEPLOYER_PRIVATE_KEY),
 * otherwise a fresh local anvil. A new AnchorRegistry is deployed for the run.
 */
export async function startTestChain(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const external = process.env.RPC_URL;
  const anvil = external ? null : await startAnvil();
  const rpcUrl = external ?? (anvil?.rpcUrl as string);
  const privateKey = process.env.DEPLOYER_PRIVATE_KEY ?? ANVIL_DEV_KEY;
  const { address } = await ensureAnchorRegistry({ rpcUrl, privateKey });
  return {
    env: { RPC_URL: rpcUrl, DEPLOYER_PRIVATE_KEY: privateKey, ANCHOR_REGISTRY_ADDRESS: address },
    stop: async () => {
      await anvil?.stop();
    },
  };
}

/**
 * anvil's well-known dev accounts #1–#9 (public keys of a local test chain, never real funds). Test
 * files that deploy their own contracts each use their own account, so parallel files never race
 * for the same nonce.
 */
export const ANVIL_TEST_KEYS = {
  stranger: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  contracts: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  ledger: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  spare1: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  spare2: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  provenance: "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  spare3: "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
  ledgerAudit: "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
  /** anvil's account #9. */
  honestLedger: "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
} as const;

/** A fresh AnchorRegistry owned by `wallet`: a test that anchors gets a contract nobody else writes to. */
export async function deployAnchorRegistry(wallet: Wallet): Promise<TAnchorRegistry> {
  const a = artifact("AnchorRegistry");
  const deployed = await new ContractFactory(a.abi as never, a.bytecode, wallet).deploy(wallet.address);
  await deployed.waitForDeployment();
  return anchorRegistryAt(await deployed.getAddress(), wallet);
}

/** Anchors every event of `iso`'s ledger now, in batches of at most `maxEvents`. */
export async function anchorEverything(opts: {
  iso: { url: string; db: PrismaClient };
  registry: TAnchorRegistry;
  maxEvents?: number;
}): Promise<void> {
  const worker = createAnchorWorker({
    databaseUrl: opts.iso.url,
    registry: opts.registry,
    intervalMs: 60_000,
    maxEvents: opts.maxEvents ?? 1000,
    confirmations: 1,
    db: opts.iso.db,
    log: () => {},
    autoStart: false,
  });
  try {
    while ((await worker.tick()) > 0);
  } finally {
    await worker.stop();
  }
}

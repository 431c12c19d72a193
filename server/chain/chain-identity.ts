import "server-only";

import { env } from "@/server/env";
import { chainClient } from "./client";

export type TChainIdentity = {
  /** Decimal chain id, or null when no chain is configured or it cannot be reached. */
  chainId: string | null;
  contract: string | null;
  /** Where a regulator may verify (PUBLIC_RPC_URL); null when the operator has named none. */
  rpcUrl: string | null;
  confirmationsRequired: number;
};

// A chain's id never changes under a running portal: asked once.
let cachedChainId: Promise<string | null> | null = null;

/** What a verifier needs to know of the chain the portal anchors on, without trusting the portal. */
export async function chainIdentity(): Promise<TChainIdentity> {
  const { ANCHOR_REGISTRY_ADDRESS, PUBLIC_RPC_URL, CHAIN_CONFIRMATIONS, RPC_URL } = env();
  if (RPC_URL && ANCHOR_REGISTRY_ADDRESS) {
    cachedChainId ??= chainClient()
      .provider.getNetwork()
      .then((n) => n.chainId.toString())
      .catch(() => {
        cachedChainId = null; // unreachable now: ask again next time
        return null;
      });
  }
  return {
    chainId: cachedChainId ? await cachedChainId : null,
    contract: ANCHOR_REGISTRY_ADDRESS ?? null,
    rpcUrl: PUBLIC_RPC_URL ?? null,
    confirmationsRequired: CHAIN_CONFIRMATIONS,
  };
}

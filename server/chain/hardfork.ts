import type { JsonRpcProvider } from "ethers";

/** The hardfork AnchorRegistry's bytecode needs: solc emits PUSH0 (EIP-3855) from Shanghai on. */
export const REQUIRED_HARDFORK = "Shanghai";

/**
 * Refuses, with the hardfork named, a chain too old for the contract's bytecode. One `eth_call`
 * of a two-byte creation code (PUSH0, STOP): a Shanghai-or-later node runs it; an older one fails
 * with an invalid-opcode error, which otherwise surfaces at deployment as an unexplained
 * "missing revert data (action=estimateGas)".
 */
export async function assertChainSupportsContract(provider: JsonRpcProvider, rpcUrl: string): Promise<void> {
  try {
    await provider.send("eth_call", [{ data: "0x5f00" }, "latest"]);
  } catch (err) {
    const reason = (err as Error).message.split("\n")[0]?.slice(0, 160);
    throw new Error(
      `The chain at ${rpcUrl} cannot run AnchorRegistry: its bytecode uses the PUSH0 opcode (EIP-3855), which needs the ${REQUIRED_HARDFORK} hardfork or later, and this node refused it (${reason}). Use a node at ${REQUIRED_HARDFORK} or later (anvil: --hardfork shanghai or newer; the default is fine).`,
    );
  }
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANVIL_DEV_KEY, startAnvil, type TAnvil } from "@/server/runtime/chain";
import { ANVIL_TEST_KEYS } from "@/test/setup/chain";
import { ensureAnchorRegistry } from "./deploy";

let paris: TAnvil;
beforeAll(async () => {
  paris = await startAnvil({ hardfork: "paris" });
});
afterAll(async () => {
  await paris.stop();
});

describe("a chain too old for the contract", () => {
  it("is refused at start-up naming PUSH0 and the Shanghai hardfork it needs", async () => {
    await expect(ensureAnchorRegistry({ rpcUrl: paris.rpcUrl, privateKey: ANVIL_DEV_KEY })).rejects.toThrow(
      /PUSH0 opcode \(EIP-3855\), which needs the Shanghai hardfork or later/,
    );
  });
  it("a current chain deploys as before", async () => {
    const d = await ensureAnchorRegistry({
      rpcUrl: process.env.RPC_URL as string,
      privateKey: ANVIL_TEST_KEYS.spare2,
    });
    expect(d.deployed).toBe(true);
  });
});

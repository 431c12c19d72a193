import { ContractFactory, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorRegistryAt, createProvider, type TAnchorRegistry } from "@/server/chain/client";
import { artifact } from "@/server/chain/compile";
import { ANVIL_TEST_KEYS } from "@/test/setup/chain";
import { createIsolatedDatabase } from "@/test/setup/isolated-db";
import { createAnchorWorker } from "./anchor-worker";
import { appendEvent } from "./append-event";
import { exportAuditBundle, verifyAuditBundle } from "./audit-bundle";

const provider = createProvider(process.env.RPC_URL as string);
const wallet = new Wallet(ANVIL_TEST_KEYS.spare3, provider);
let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;

const deploy = async (): Promise<TAnchorRegistry> => {
  const a = artifact("AnchorRegistry");
  const c = await new ContractFactory(a.abi as never, a.bytecode, wallet).deploy(wallet.address);
  await c.waitForDeployment();
  return anchorRegistryAt(await c.getAddress(), wallet);
};
const worker = (registry: TAnchorRegistry, replayLostBatches: boolean) =>
  createAnchorWorker({
    databaseUrl: iso.url,
    registry,
    intervalMs: 60_000,
    maxEvents: 2,
    confirmations: 1,
    db: iso.db,
    log: () => {},
    autoStart: false,
    replayLostBatches,
  });

beforeAll(async () => {
  iso = await createIsolatedDatabase("replay");
});
afterAll(async () => {
  await iso.drop();
  provider.destroy();
});

describe("anchoring after the chain lost batches", () => {
  it("refuses on a real chain, and re-anchors the recorded roots on the portal's own local chain", async () => {
    const first = await deploy();
    for (let i = 0; i < 5; i++) {
      await iso.db.$transaction((tx) =>
        appendEvent({
          tx,
          subject: { type: "organ", id: "replay" },
          type: "ledger.test",
          payload: { i },
          actor: { userId: null, role: "SYSTEM", orgId: null },
        }),
      );
    }
    const w1 = worker(first, false);
    while ((await w1.tick()) > 0);
    await w1.stop();
    expect(Number(await first.batchCount())).toBe(3);

    // The same database against a chain that has none of those batches (a local chain reset).
    const reset = await deploy();
    const strict = worker(reset, false);
    await expect(strict.tick()).rejects.toThrow(/chain lost blocks.*refusing/);
    await strict.stop();
    const local = worker(reset, true);
    await local.tick();
    await local.stop();
    expect(Number(await reset.batchCount())).toBe(3);
    const bundle = await exportAuditBundle({
      scope: { kind: "subject", subjectType: "organ", subjectId: "replay" },
      chain: { chainId: "31337", contract: await reset.getAddress() },
      db: iso.db,
    });
    expect((await verifyAuditBundle(bundle, reset)).ok).toBe(true);
  });
});

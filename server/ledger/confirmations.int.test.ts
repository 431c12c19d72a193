import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProvider, type TAnchorRegistry } from "@/server/chain/client";
import { ANVIL_DEV_KEY, startAnvil, type TAnvil } from "@/server/runtime/chain";
import { deployAnchorRegistry } from "@/test/setup/chain";
import { createIsolatedDatabase } from "@/test/setup/isolated-db";
import { createAnchorWorker } from "./anchor-worker";
import { anchoringLag } from "./anchoring-lag";
import { appendEvent, SYSTEM_ACTOR } from "./append-event";
import { exportAuditBundle, verifyAuditBundle } from "./audit-bundle";

/**
 * Anchored means confirmed, on a chain that mines only on demand (as a node with real block times
 * does between blocks): its own anvil with automine off, and CHAIN_CONFIRMATIONS = 2.
 */
let anvil: TAnvil;
let provider: ReturnType<typeof createProvider>;
let registry: TAnchorRegistry;
let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;

beforeAll(async () => {
  anvil = await startAnvil();
  provider = createProvider(anvil.rpcUrl);
  registry = await deployAnchorRegistry(new Wallet(ANVIL_DEV_KEY, provider));
  await provider.send("evm_setAutomine", [false]);
  iso = await createIsolatedDatabase("confirm");
});
afterAll(async () => {
  await iso.drop();
  provider.destroy();
  await anvil.stop();
});

const append = (n: number) =>
  iso.db.$transaction((tx) =>
    appendEvent({
      tx,
      subject: { type: "organ", id: "confirm-me" },
      type: "ledger.test",
      payload: { n },
      actor: SYSTEM_ACTOR,
    }),
  );
const statuses = async () =>
  (await iso.db.anchorBatch.findMany({ orderBy: { id: "asc" }, select: { status: true } })).map(
    (b) => b.status,
  );

describe("anchored means confirmed", () => {
  it("keeps batching while earlier batches wait; counts as anchored only with the confirmations; the verifier agrees", async () => {
    const lines: string[] = [];
    const worker = createAnchorWorker({
      databaseUrl: iso.url,
      registry,
      intervalMs: 60_000,
      maxEvents: 100,
      confirmations: 2,
      db: iso.db,
      log: (l) => lines.push(l),
      autoStart: false,
    });
    try {
      const first = await append(1);
      await append(2);
      // Two events and the portal signing key's introduction, recorded on the worker's first tick.
      expect(await worker.tick()).toBe(3);
      // The transaction waits in the mempool; the worker does not, and batches what came since.
      await append(3);
      expect(await worker.tick()).toBe(1);
      expect(await statuses()).toEqual(["SENT", "SENT"]);
      const lag = await anchoringLag(iso.db);
      expect(lag.oldestUnanchoredAt?.getTime()).toBe(first.serverTime.getTime());
      expect(lag.lagMs).toBeGreaterThanOrEqual(0);

      await provider.send("evm_mine", []);
      expect(await worker.tick()).toBe(0);
      expect(await statuses()).toEqual(["SENT", "SENT"]); // 1 of 2 confirmations
      const bundle = await exportAuditBundle({
        scope: { kind: "subject", subjectType: "organ", subjectId: "confirm-me" },
        chain: {
          chainId: String(anvil.chainId),
          contract: await registry.getAddress(),
          confirmationsRequired: 2,
        },
        db: iso.db,
      });
      const early = await verifyAuditBundle(bundle, registry);
      expect(early.findings).toEqual([]);
      expect(early.ok).toBe(false);
      expect(early.unconfirmed).toEqual([
        { batch: 0, confirmations: 1 },
        { batch: 1, confirmations: 1 },
      ]);

      await provider.send("evm_mine", []);
      await worker.tick();
      expect(await statuses()).toEqual(["CONFIRMED", "CONFIRMED"]);
      expect(lines.some((l) => /2 of 2 confirmations/.test(l))).toBe(true);
      const late = await verifyAuditBundle(bundle, registry);
      expect(late).toMatchObject({ ok: true, findings: [], unconfirmed: [] });
      expect(late.confirmations).toEqual({
        required: 2,
        batches: [
          { batch: 0, confirmations: 2 },
          { batch: 1, confirmations: 2 },
        ],
      });
      expect((await anchoringLag(iso.db)).oldestUnanchoredAt).toBeNull();
    } finally {
      await worker.stop();
    }
  });
});

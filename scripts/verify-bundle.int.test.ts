import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ContractFactory, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorRegistryAt, createProvider, type TAnchorRegistry } from "@/server/chain/client";
import { artifact } from "@/server/chain/compile";
import { createAnchorWorker } from "@/server/ledger/anchor-worker";
import { appendEvent } from "@/server/ledger/append-event";
import { exportAuditBundle, type TAuditBundle } from "@/server/ledger/audit-bundle";
import { ANVIL_TEST_KEYS } from "@/test/setup/chain";
import { createIsolatedDatabase } from "@/test/setup/isolated-db";

const rpc = process.env.RPC_URL as string;
const provider = createProvider(rpc);
const dir = mkdtempSync(path.join(tmpdir(), "verify-"));
let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let registry: TAnchorRegistry;
let bundle: TAuditBundle;

/** Each check spawns the verifier (a fresh tsx process): seconds on a quiet machine, far more
 * beside a parallel `next build`, so these tests get room; speed is the benchmark's business. */
const SPAWNS = { timeout: 180_000 };

function verify(b: unknown): { status: number | null; out: string } {
  const file = path.join(dir, `b-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(b));
  const r = spawnSync(
    "node_modules/.bin/tsx",
    ["--import", "./scripts/server-only.mjs", "scripts/verify-bundle.ts", file, "--rpc", rpc],
    {
      encoding: "utf8",
    },
  );
  return { status: r.status, out: r.stdout + r.stderr };
}

beforeAll(async () => {
  iso = await createIsolatedDatabase("verify");
  const wallet = new Wallet(ANVIL_TEST_KEYS.spare1, provider);
  const a = artifact("AnchorRegistry");
  const c = await new ContractFactory(a.abi as never, a.bytecode, wallet).deploy(wallet.address);
  await c.waitForDeployment();
  registry = anchorRegistryAt(await c.getAddress(), wallet);
  const actor = { userId: "u", role: "COURIER", orgId: "o" };
  for (let i = 0; i < 6; i++) {
    await iso.db.$transaction((tx) =>
      appendEvent({
        tx,
        subject: { type: "organ", id: "cli-organ" },
        type: "ledger.test",
        payload: { i },
        actor,
      }),
    );
  }
  const worker = createAnchorWorker({
    databaseUrl: iso.url,
    registry,
    intervalMs: 60_000,
    maxEvents: 4,
    confirmations: 1,
    db: iso.db,
    log: () => {},
    autoStart: false,
  });
  while ((await worker.tick()) > 0);
  await worker.stop();
  bundle = await exportAuditBundle({
    scope: { kind: "subject", subjectType: "organ", subjectId: "cli-organ" },
    chain: { chainId: "31337", contract: await registry.getAddress() },
    db: iso.db,
  });
}, 60_000);

afterAll(async () => {
  await iso.drop();
  provider.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run verify (offline verifier: the bundle and the chain, never the database)", () => {
  it("accepts an untouched bundle spanning two batches", SPAWNS, () => {
    expect(new Set(bundle.events.map((e) => e.anchor?.batch)).size).toBe(2);
    const r = verify(bundle);
    expect(r.out).toContain("VERIFIED");
    expect(r.status).toBe(0);
  });

  it("rejects a bundle whose event was edited, naming the event", SPAWNS, () => {
    const edited = structuredClone(bundle);
    (edited.events[2] as { payload: unknown }).payload = { i: 99 };
    const r = verify(edited);
    expect(r.status).toBe(1);
    expect(r.out).toContain(`[hash] event ${bundle.events[2]?.id}`);
  });

  it("rejects a bundle with an event removed or a batch root forged", SPAWNS, () => {
    const removed = structuredClone(bundle);
    removed.events.splice(3, 1);
    const r1 = verify(removed);
    expect(r1.status).toBe(1);
    expect(r1.out).toContain("[chain-gap]");

    const forged = structuredClone(bundle);
    (forged.batches[0] as { root: string }).root = `0x${"ab".repeat(32)}`;
    const r2 = verify(forged);
    expect(r2.status).toBe(1);
    expect(r2.out).toContain("[batch-root] batch 0");
  });
});

import { ContractFactory, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorRegistryAt, createProvider, type TAnchorRegistry } from "@/server/chain/client";
import { artifact } from "@/server/chain/compile";
import { ANVIL_TEST_KEYS } from "@/test/setup/chain";
import { createIsolatedDatabase } from "@/test/setup/isolated-db";
import { createAnchorWorker } from "./anchor-worker";
import { appendEvent, type TActor } from "./append-event";
import { exportAuditBundle, verifyAuditBundle } from "./audit-bundle";
import { getEventProof } from "./get-event-proof";

const actor: TActor = { userId: "u-1", role: "OPO_COORDINATOR", orgId: "org-1" };
const provider = createProvider(process.env.RPC_URL as string);
const wallet = new Wallet(ANVIL_TEST_KEYS.ledger, provider);
let registry: TAnchorRegistry;
let iso: Awaited<ReturnType<typeof createIsolatedDatabase>>;

const append = (subjectId: string, n: number, subjectType = "organ") =>
  iso.db.$transaction(
    (tx) =>
      appendEvent({
        tx,
        subject: { type: subjectType, id: subjectId },
        type: "ledger.test",
        payload: { n },
        actor,
      }),
    // As the portal's withTransaction: twenty at once may queue for a pooled connection.
    { maxWait: 15_000 },
  );

/** A worker driven by the test (no timer), on this file's own schema and registry. */
const makeWorker = () =>
  createAnchorWorker({
    databaseUrl: iso.url,
    registry,
    intervalMs: 60_000,
    maxEvents: 1000,
    confirmations: 1,
    db: iso.db,
    log: () => {},
    autoStart: false,
  });

async function anchorAll() {
  const worker = makeWorker();
  try {
    while ((await worker.tick()) > 0);
  } finally {
    await worker.stop();
  }
}

async function bundleFor(subjectId: string) {
  return exportAuditBundle({
    scope: { kind: "subject", subjectType: "organ", subjectId },
    chain: { chainId: "31337", contract: await registry.getAddress() },
    db: iso.db,
  });
}

beforeAll(async () => {
  iso = await createIsolatedDatabase("ledger");
  const a = artifact("AnchorRegistry");
  const deployed = await new ContractFactory(a.abi as never, a.bytecode, wallet).deploy(wallet.address);
  await deployed.waitForDeployment();
  registry = anchorRegistryAt(await deployed.getAddress(), wallet);
});
afterAll(async () => {
  await iso.drop();
  provider.destroy();
});

describe("ledger: append, anchor, verify", () => {
  it("serialises concurrent appends to one subject into one unbroken chain", async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => append("concurrent", i)));
    const rows = await iso.db.ledgerEvent.findMany({
      where: { subjectId: "concurrent" },
      orderBy: { sequence: "asc" },
    });
    expect(rows.map((r) => r.sequence)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prevHash).toBe(rows[i - 1]?.hash);
  });

  it("refuses an unknown event type and an invalid payload, writing nothing", async () => {
    await expect(
      iso.db.$transaction((tx) =>
        appendEvent({
          tx,
          subject: { type: "organ", id: "bad" },
          type: "organ.teleported" as "ledger.test",
          payload: {},
          actor,
        }),
      ),
    ).rejects.toThrow(/Unknown ledger event type/);
    await expect(
      iso.db.$transaction((tx) =>
        appendEvent({
          tx,
          subject: { type: "organ", id: "bad" },
          type: "offer.expired",
          payload: { offerId: 5 as unknown as string, organId: "o" },
          actor,
        }),
      ),
    ).rejects.toThrow(/Invalid offer.expired payload: offerId/);
    expect(await iso.db.ledgerEvent.count({ where: { subjectId: "bad" } })).toBe(0);
  });

  it("anchors a batch and proves an event on chain", async () => {
    const first = await append("proved", 1);
    await append("proved", 2);
    await anchorAll();
    const proof = await getEventProof({ eventId: first.id, registry, db: iso.db });
    expect(proof.hashValid).toBe(true);
    expect(proof.anchor.status).toBe("CONFIRMED");
    if (proof.anchor.status !== "CONFIRMED") return;
    expect(proof.anchor.onChain).toEqual({ rootMatches: true, proofVerified: true });
    expect(proof.anchor.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const report = await verifyAuditBundle(await bundleFor("proved"), registry);
    expect(report).toMatchObject({ ok: true, eventsChecked: 2 });
  });

  it("never anchors an event twice: a crash after sending is reconciled from the chain", async () => {
    await append("crash", 1);
    // Simulate the crash: record the batch as the worker would, send, and "die" before recording.
    const worker = makeWorker();
    await worker.tick();
    await worker.stop();
    const batch = await iso.db.anchorBatch.findFirstOrThrow({ orderBy: { id: "desc" } });
    await iso.db.anchorBatch.update({ where: { id: batch.id }, data: { status: "PENDING", txHash: null } });
    const before = await registry.batchCount();
    await anchorAll();
    expect(await registry.batchCount()).toBe(before);
    expect((await iso.db.anchorBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe(
      "CONFIRMED",
    );
  });
});

describe("ledger: several portal instances", () => {
  it("only one worker anchors at a time; the other takes over when it stops", async () => {
    const [one, two] = [makeWorker(), makeWorker()];
    try {
      await append("instances", 1);
      await one.tick();
      expect(await two.tick()).toBe(0);
      expect([one.isLeader(), two.isLeader()]).toEqual([true, false]);
      await one.stop();
      await append("instances", 2);
      expect(await two.tick()).toBe(1);
      expect(two.isLeader()).toBe(true);
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});

describe("ledger: tampering with the database is detected and named", () => {
  const checksOf = (r: Awaited<ReturnType<typeof verifyAuditBundle>>) =>
    r.findings.map((f) => `${f.check}:${f.eventId ?? f.batch}`);

  async function subjectWithFive(name: string) {
    const events = [];
    for (let i = 1; i <= 5; i++) events.push(await append(name, i));
    await anchorAll();
    expect((await verifyAuditBundle(await bundleFor(name), registry)).ok).toBe(true);
    return events;
  }

  it("a changed payload", async () => {
    const events = await subjectWithFive("t-payload");
    await iso.tamper(`UPDATE "LedgerEvent" SET payload = '{"n": 99}' WHERE id = $1`, [events[1]?.id]);
    const report = await verifyAuditBundle(await bundleFor("t-payload"), registry);
    expect(report.ok).toBe(false);
    expect(checksOf(report)).toEqual([`hash:${events[1]?.id}`]);
  });

  it("a deleted event", async () => {
    const events = await subjectWithFive("t-delete");
    await iso.tamper(`DELETE FROM "AnchorLeaf" WHERE "eventId" = $1; `, [events[2]?.id]);
    await iso.tamper(`DELETE FROM "LedgerEvent" WHERE id = $1`, [events[2]?.id]);
    const report = await verifyAuditBundle(await bundleFor("t-delete"), registry);
    // Named by the missing sequence, not blamed on the untouched event after it.
    const gap = report.findings.find((f) => f.check === "chain-gap");
    expect(gap).toMatchObject({ subject: "organ:t-delete", sequence: 3 });
    expect(gap?.eventId).toBeUndefined();
    expect(gap?.message).toMatch(/event #3 is missing \(deleted\)/);
  });

  it("two events reordered", async () => {
    const events = await subjectWithFive("t-reorder");
    const [a, b] = [events[1]?.id, events[2]?.id];
    await iso.tamper(
      `UPDATE "LedgerEvent" SET sequence = -1 WHERE id = $1;`.replace("$1", `'${a}'`) +
        `UPDATE "LedgerEvent" SET sequence = 2 WHERE id = '${b}';` +
        `UPDATE "LedgerEvent" SET sequence = 3 WHERE id = '${a}';`,
    );
    const report = await verifyAuditBundle(await bundleFor("t-reorder"), registry);
    const checks = checksOf(report);
    // Exactly the two moved events: their broken links are not blamed on their neighbours.
    expect(checks.sort()).toEqual([`hash:${a}`, `hash:${b}`].sort());
  });

  it("an event inserted directly", async () => {
    const events = await subjectWithFive("t-insert");
    // The attacker renumbers #4–#5 and slips a well-formed event in as #4.
    await iso.tamper(
      `UPDATE "LedgerEvent" SET sequence = sequence + 10 WHERE "subjectId" = 't-insert' AND sequence >= 4;` +
        `UPDATE "LedgerEvent" SET sequence = sequence - 9 WHERE "subjectId" = 't-insert' AND sequence >= 14;`,
    );
    const forged = await iso.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
      return appendEvent({
        tx,
        subject: { type: "organ", id: "t-insert-tmp" },
        type: "ledger.test",
        payload: { n: 4 },
        actor,
      });
    });
    await iso.tamper(
      `UPDATE "LedgerEvent" SET "subjectId" = 't-insert', sequence = 4, "prevHash" = $2 WHERE id = $1`,
      [forged.id, events[2]?.hash],
    );
    const report = await verifyAuditBundle(await bundleFor("t-insert"), registry);
    const checks = checksOf(report);
    expect(checks).toContain(`not-anchored:${forged.id}`);
    expect(checks).toContain(`hash:${forged.id}`);
    expect(checks).toContain(`hash:${events[3]?.id}`);
  });
});

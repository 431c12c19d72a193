/**
 * Whole-ledger audit: 100,000 events (10,000 subjects of 10 events, interleaved as a live ledger
 * is) hashed with the ledger's own functions, bulk-inserted, anchored on anvil in batches of
 * 2,000; then `auditWholeLedger` (what the regulator's audit page runs) is timed. Target
 * ≥ 10,000 events/s, with one chain read per batch. `BENCH_AUDIT_EVENTS` changes the size.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import { ContractFactory, Wallet, ZeroHash } from "ethers";
import pg from "pg";
import { anchorRegistryAt, createProvider, type TAnchorRegistry } from "@/server/chain/client";
import { artifact } from "@/server/chain/compile";
import { connectionOptions, parseDatabaseUrl, withSchema } from "@/server/db/database-url";
import { migrate } from "@/server/db/migrate";
import { PrismaClient } from "@/server/generated/prisma/client";
import { eventHash } from "@/server/ledger/hash";
import { merkleRoot } from "@/server/ledger/merkle";
import { auditWholeLedger } from "@/server/regulator/ledger-audit";
import { ANVIL_DEV_KEY, startAnvil } from "@/server/runtime/chain";
import { startEmbeddedPostgres } from "@/server/runtime/database";

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 100_000);
const PER_SUBJECT = 10;
const BATCH = 2000;

type TRow = {
  id: string;
  subjectId: string;
  sequence: number;
  serverTime: string;
  payload: Record<string, unknown>;
  salt: string;
  prevHash: string | null;
  hash: string;
};

/** Events of `EVENTS / PER_SUBJECT` organs, round-robin, each chained and hashed as appendEvent does. */
function buildEvents(): TRow[] {
  const subjects = Array.from({ length: EVENTS / PER_SUBJECT }, () => randomUUID());
  const last = new Map<string, string>();
  const rows: TRow[] = [];
  const t0 = Date.parse("2026-11-01T00:00:00.000Z");
  for (let seq = 1; seq <= PER_SUBJECT; seq++) {
    for (const subjectId of subjects) {
      const fields = {
        salt: `0x${randomBytes(32).toString("hex")}`,
        subjectType: "organ",
        subjectId,
        sequence: seq,
        type: "custody.recorded",
        schemaVersion: 1,
        actor: { userId: null, role: "COURIER", orgId: null },
        serverTime: new Date(t0 + rows.length).toISOString(),
        reportedTime: null,
        payload: {
          custodyEventId: randomUUID(),
          organId: subjectId,
          sequence: seq,
          kind: "CHECKPOINT",
          details: { location: `Mile ${seq}`, temperatureC: 4 },
        },
        prevHash: last.get(subjectId) ?? null,
      };
      const hash = eventHash(fields);
      last.set(subjectId, hash);
      rows.push({ id: randomUUID(), ...fields, hash });
    }
  }
  return rows;
}

async function insertAndAnchor(client: pg.Client, registry: TAnchorRegistry, rows: TRow[]): Promise<number> {
  let previousRoot = ZeroHash;
  let batches = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const slice = rows.slice(i, i + BATCH);
    await client.query(
      `INSERT INTO "LedgerEvent" (id, "subjectType", "subjectId", sequence, type, "schemaVersion",
         "actorRole", "serverTime", payload, salt, "prevHash", hash)
       SELECT id, 'organ', s, q, 'custody.recorded', 1, 'COURIER', t, p, salt, prev, h
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::jsonb[], $6::text[], $7::text[], $8::text[])
         AS u(id, s, q, t, p, salt, prev, h)`,
      [
        slice.map((r) => r.id),
        slice.map((r) => r.subjectId),
        slice.map((r) => r.sequence),
        slice.map((r) => r.serverTime),
        slice.map((r) => JSON.stringify(r.payload)),
        slice.map((r) => r.salt),
        slice.map((r) => r.prevHash),
        slice.map((r) => r.hash),
      ],
    );
    const root = merkleRoot(slice.map((r) => r.hash));
    const tx = await registry.anchor(root, slice.length, previousRoot);
    await tx.wait(1);
    await client.query(
      `INSERT INTO "AnchorBatch" (id, root, "previousRoot", "eventCount", status, "txHash", "confirmedAt")
       VALUES ($1, $2, $3, $4, 'CONFIRMED', $5, now())`,
      [batches, root, previousRoot, slice.length, tx.hash],
    );
    await client.query(
      `INSERT INTO "AnchorLeaf" ("eventId", "batchId", "leafIndex")
       SELECT e, $1, k - 1 FROM unnest($2::uuid[]) WITH ORDINALITY AS u(e, k)`,
      [batches, slice.map((r) => r.id)],
    );
    previousRoot = root;
    batches++;
  }
  await client.query(`ANALYZE "LedgerEvent"; ANALYZE "AnchorLeaf"; ANALYZE "AnchorBatch"`);
  return batches;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-ledger-audit-"));
  const anvil = await startAnvil();
  const provider = createProvider(anvil.rpcUrl);
  const wallet = new Wallet(ANVIL_DEV_KEY, provider);
  const pgServer = process.env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: path.join(dir, "pg") });
  const schema = `bench_${randomBytes(3).toString("hex")}`;
  const url = withSchema(process.env.DATABASE_URL ?? (pgServer?.url as string), schema);
  await migrate({ url, log: () => {} });
  const { connectionString } = parseDatabaseUrl(url);
  const db = new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: 5, options: connectionOptions(schema) }, { schema }),
  });
  const client = new pg.Client({ connectionString, options: connectionOptions(schema) });
  await client.connect();
  try {
    const a = artifact("AnchorRegistry");
    const deployed = await new ContractFactory(a.abi as never, a.bytecode, wallet).deploy(wallet.address);
    await deployed.waitForDeployment();
    const registry = anchorRegistryAt(await deployed.getAddress(), wallet);

    const b0 = performance.now();
    const rows = buildEvents();
    const batches = await insertAndAnchor(client, registry, rows);
    const buildSeconds = (performance.now() - b0) / 1000;

    // Count the contract reads the audit makes: it must be one per batch, never one per event.
    let chainReads = 0;
    const counted = new Proxy(registry, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== "batchAt" && prop !== "batchCount") return value;
        return (...args: unknown[]) => {
          chainReads++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as TAnchorRegistry;

    const t0 = performance.now();
    const report = await auditWholeLedger({ registry: counted, db });
    const seconds = (performance.now() - t0) / 1000;
    if (
      report.findingsTotal > 0 ||
      report.eventsChecked !== rows.length ||
      report.batchesChecked !== batches
    ) {
      throw new Error(
        `audit of an intact ledger found ${report.findingsTotal} breaks, checked ${report.eventsChecked}: ${report.findings
          .slice(0, 3)
          .map((f) => f.message)
          .join("; ")}`,
      );
    }
    const common = { bench: "ledger-audit", events: report.eventsChecked, batches: report.batchesChecked };
    console.log(
      JSON.stringify({
        ...common,
        figure: "events_per_second",
        value: Math.round(report.eventsChecked / seconds),
        target: ">= 10000",
      }),
    );
    console.log(
      JSON.stringify({ ...common, figure: "audit_seconds", value: Math.round(seconds * 100) / 100 }),
    );
    console.log(
      JSON.stringify({
        ...common,
        figure: "chain_reads",
        value: chainReads,
        note: "batchAt per batch + 1 batchCount",
      }),
    );
    console.log(
      JSON.stringify({ ...common, figure: "setup_seconds", value: Math.round(buildSeconds * 10) / 10 }),
    );
  } finally {
    await client.end();
    await db.$disconnect();
    provider.destroy();
    await anvil.stop();
    await pgServer?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

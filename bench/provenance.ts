/**
 * Organ provenance page, server time: an organ with 50 ledger events (case, match run, offers,
 * custody), all anchored on anvil; `getOrganProvenance` (what /regulator/organs/<id> runs: read,
 * verify hashes, chains and proofs, one contract read per batch) timed 30 times. Target < 300 ms.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import { ContractFactory, Wallet } from "ethers";
import { anchorRegistryAt, createProvider } from "@/server/chain/client";
import { artifact } from "@/server/chain/compile";
import { connectionOptions, parseDatabaseUrl, withSchema } from "@/server/db/database-url";
import { migrate } from "@/server/db/migrate";
import { PrismaClient } from "@/server/generated/prisma/client";
import { createAnchorWorker } from "@/server/ledger/anchor-worker";
import { appendEvent } from "@/server/ledger/append-event";
import { getOrganProvenance } from "@/server/regulator/organ-provenance";
import { ANVIL_DEV_KEY, startAnvil } from "@/server/runtime/chain";
import { startEmbeddedPostgres } from "@/server/runtime/database";

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-provenance-"));
  const anvil = await startAnvil();
  const provider = createProvider(anvil.rpcUrl);
  const wallet = new Wallet(ANVIL_DEV_KEY, provider);
  const pg = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(dir, "pg") });
  const schema = `bench_${randomBytes(3).toString("hex")}`;
  const url = withSchema(process.env.DATABASE_URL ?? (pg?.url as string), schema);
  await migrate({ url, log: () => {} });
  const { connectionString } = parseDatabaseUrl(url);
  const db = new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: 5, options: connectionOptions(schema) }, { schema }),
  });
  try {
    const a = artifact("AnchorRegistry");
    const deployed = await new ContractFactory(a.abi as never, a.bytecode, wallet).deploy(wallet.address);
    await deployed.waitForDeployment();
    const registry = anchorRegistryAt(await deployed.getAddress(), wallet);
    const actor = { userId: randomUUID(), role: "OPO_COORDINATOR", orgId: randomUUID() };
    const org = await db.organisation.create({ data: { code: "B0001", name: "Bench OPO", kind: "OPO" } });
    const donorCase = await db.donorCase.create({
      data: { code: "BENCH-1", opoId: org.id, referralHospital: "Bench", donor: {} },
    });
    const organ = await db.organ.create({
      data: { donorCaseId: donorCase.id, type: "KIDNEY", din: "B000126000001X" },
    });
    const append = (subject: { type: string; id: string }, type: string, payload: Record<string, unknown>) =>
      db.$transaction((tx) =>
        appendEvent({ tx, subject, type: type as never, payload: payload as never, actor }),
      );
    await append({ type: "donor_case", id: donorCase.id }, "donor_case.opened", {
      donorCaseId: donorCase.id,
      code: donorCase.code,
      organs: ["KIDNEY"],
    });
    const matchRunId = randomUUID();
    await append({ type: "match_run", id: matchRunId }, "match_run.recorded", {
      matchRunId,
      organId: organ.id,
      policy: { id: "us-kidney-cd", version: 1 },
      snapshotHash: `0x${"cd".repeat(32)}`,
      snapshot: null,
      rankedCount: 100,
      excludedCount: 20,
    });
    for (let i = 1; i <= 3; i++) {
      const offerId = randomUUID();
      await append({ type: "offer", id: offerId }, "offer.sent", {
        offerId,
        organId: organ.id,
        matchRunId,
        candidateCode: `C-${i}`,
        centerId: org.id,
        rank: i,
        deadline: new Date().toISOString(),
      });
    }
    for (let i = 1; i <= 45; i++) {
      await append({ type: "organ", id: organ.id }, "custody.recorded", {
        custodyEventId: randomUUID(),
        organId: organ.id,
        sequence: i,
        kind: i === 45 ? "TRANSPLANTED" : "CHECKPOINT",
        details: { location: `Mile ${i}` },
      });
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5)); // several batches, as in real life
    }
    const worker = createAnchorWorker({
      databaseUrl: url,
      registry,
      intervalMs: 60_000,
      maxEvents: 12,
      confirmations: 1,
      db,
      log: () => {},
      autoStart: false,
    });
    while ((await worker.tick()) > 0);
    await worker.stop();

    const times: number[] = [];
    let steps = 0;
    for (let i = 0; i < 33; i++) {
      const t0 = performance.now();
      const p = await getOrganProvenance({ organId: organ.id, registry, db });
      if (i >= 3) times.push(performance.now() - t0); // first calls warm up the JIT and the pool
      steps = p.steps.length;
      if (!p.verified)
        throw new Error(`provenance did not verify: ${p.findings.map((f) => f.message).join("; ")}`);
    }
    times.sort((x, y) => x - y);
    const at = (q: number) => Math.round((times[Math.floor(q * (times.length - 1))] ?? 0) * 10) / 10;
    const batches = await db.anchorBatch.count();
    console.log(
      JSON.stringify({
        bench: "provenance_page_server_ms",
        events: steps,
        batches,
        p50: at(0.5),
        p99: at(0.99),
        target: "< 300 ms",
      }),
    );
  } finally {
    await db.$disconnect();
    provider.destroy();
    await anvil.stop();
    await pg?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

import { ZeroHash } from "ethers";
import pg from "pg";
import { chainClient, type TAnchorRegistry } from "@/server/chain/client";
import { prisma as defaultDb } from "@/server/db";
import { parseDatabaseUrl } from "@/server/db/database-url";
import { env } from "@/server/env";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { buildTree } from "./merkle";

export type TAnchorWorkerOptions = {
  databaseUrl: string;
  registry: TAnchorRegistry;
  intervalMs: number;
  maxEvents: number;
  confirmations: number;
  log?: (line: string) => void;
  /** Defaults to the process's client; tests pass one bound to their own schema. */
  db?: PrismaClient;
  /** Start the timer loop (default); tests drive `tick()` themselves. */
  autoStart?: boolean;
  /**
   * When the chain holds fewer batches than were confirmed (a local dev chain restored from an
   * older state), re-anchor the missing ones from their recorded roots. Only for the portal's own
   * local anvil: on a real chain this is an incident for a person to look at, never automatic.
   */
  replayLostBatches?: boolean;
};

export type TAnchorWorker = { stop(): Promise<void>; tick(): Promise<number>; isLeader(): boolean };

type TBatchRow = {
  id: number;
  root: string;
  previousRoot: string;
  eventCount: number;
  status: string;
  txHash: string | null;
};

/**
 * The anchoring worker. Ledger events are the outbox: every `intervalMs` it takes up to `maxEvents`
 * events not yet in a batch, records the batch and its leaves BEFORE sending the transaction, then
 * sends `anchor(root, count, previousRoot)` and marks the batch confirmed. On every tick it first
 * reconciles unconfirmed batches with the contract, so a crash between sending and recording never
 * anchors twice (the contract's previous-root chain refuses a repeat too) and never loses an event.
 * Only the instance holding a PostgreSQL advisory lock anchors; the others stand by.
 */
export function createAnchorWorker(opts: TAnchorWorkerOptions): TAnchorWorker {
  const prisma = opts.db ?? defaultDb;
  const log = opts.log ?? ((l: string) => console.log(`[anchor] ${l}`));
  const { connectionString, schema } = parseDatabaseUrl(opts.databaseUrl);
  let lockClient: pg.Client | null = null;
  let leader = false;

  async function ensureLeader(): Promise<boolean> {
    if (leader) return true;
    if (!lockClient) {
      lockClient = new pg.Client({ connectionString });
      lockClient.on("error", () => {
        leader = false;
        lockClient = null;
      });
      await lockClient.connect();
    }
    const { rows } = await lockClient.query("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok", [
      `anchor-worker:${schema}`,
    ]);
    leader = rows[0]?.ok === true;
    return leader;
  }

  async function send(batch: TBatchRow): Promise<void> {
    const tx = await opts.registry.anchor(batch.root, batch.eventCount, batch.previousRoot);
    await prisma.anchorBatch.update({
      where: { id: batch.id },
      data: { status: "SENT", txHash: tx.hash, sentAt: new Date() },
    });
    const receipt = await tx.wait(opts.confirmations);
    if (!receipt) throw new Error(`batch ${batch.id}: transaction ${tx.hash} was dropped`);
    await confirm(batch.id, tx.hash, receipt.blockNumber);
    log(`batch ${batch.id}: ${batch.eventCount} events anchored in block ${receipt.blockNumber}`);
  }

  async function confirm(id: number, txHash: string, blockNumber: number): Promise<void> {
    const network = await opts.registry.runner?.provider?.getNetwork();
    await prisma.anchorBatch.update({
      where: { id },
      data: {
        status: "CONFIRMED",
        txHash,
        blockNumber: BigInt(blockNumber),
        chainId: network ? network.chainId : null,
        contractAddress: await opts.registry.getAddress(),
        confirmedAt: new Date(),
      },
    });
  }

  /** Batches the database confirmed but the chain no longer has (see `replayLostBatches`). */
  async function replayLost(): Promise<void> {
    const last = await prisma.anchorBatch.findFirst({
      where: { status: "CONFIRMED" },
      orderBy: { id: "desc" },
    });
    if (!last) return;
    const onChain = Number(await opts.registry.batchCount());
    if (onChain > last.id) return;
    if (onChain > 0) {
      const kept = await prisma.anchorBatch.findUnique({ where: { id: onChain - 1 } });
      const [root] = await opts.registry.batchAt(onChain - 1);
      if (!kept || root.toLowerCase() !== kept.root.toLowerCase()) {
        throw new Error(
          `batch ${onChain - 1} on chain differs from the database: refusing to anchor until resolved`,
        );
      }
    }
    const problem = `the chain holds ${onChain} batches but ${last.id + 1} were confirmed (the chain lost blocks)`;
    if (!opts.replayLostBatches) throw new Error(`${problem}: refusing to anchor until resolved`);
    log(`${problem}: re-anchoring batches ${onChain}–${last.id} from their recorded roots`);
    const lost = (await prisma.anchorBatch.findMany({
      where: { id: { gte: onChain } },
      orderBy: { id: "asc" },
    })) as TBatchRow[];
    for (const batch of lost) await send(batch);
  }

  /** Brings unconfirmed batches in line with the contract, oldest first. */
  async function reconcile(): Promise<void> {
    await replayLost();
    const open = (await prisma.anchorBatch.findMany({
      where: { status: { not: "CONFIRMED" } },
      orderBy: { id: "asc" },
    })) as TBatchRow[];
    for (const batch of open) {
      const onChain = Number(await opts.registry.batchCount());
      if (onChain > batch.id) {
        const [root] = await opts.registry.batchAt(batch.id);
        if (root.toLowerCase() !== batch.root.toLowerCase()) {
          throw new Error(
            `batch ${batch.id} on chain has root ${root}, but the database recorded ${batch.root}: refusing to anchor until resolved`,
          );
        }
        // Anchored already (the crash came after sending): find its transaction and record it.
        const filter = opts.registry.filters.BatchAnchored?.(batch.id);
        const logs = filter ? await opts.registry.queryFilter(filter) : [];
        const found = logs[0];
        await confirm(batch.id, found?.transactionHash ?? batch.txHash ?? "", found?.blockNumber ?? 0);
        log(`batch ${batch.id}: found on chain after a restart, recorded as anchored`);
      } else {
        await send(batch);
      }
    }
  }

  // Ticks never overlap within one worker (the loop and a manual tick() share this queue).
  let queue: Promise<unknown> = Promise.resolve();
  const tick = (): Promise<number> => {
    const next = queue.then(runTick, runTick);
    queue = next.catch(() => {});
    return next;
  };

  async function runTick(): Promise<number> {
    if (!(await ensureLeader())) return 0;
    await reconcile();
    const pending = await prisma.ledgerEvent.findMany({
      where: { anchorLeaf: { is: null } },
      orderBy: { position: "asc" },
      take: opts.maxEvents,
      select: { id: true, hash: true },
    });
    if (pending.length === 0) return 0;
    const last = await prisma.anchorBatch.findFirst({
      orderBy: { id: "desc" },
      select: { id: true, root: true },
    });
    const tree = buildTree(pending.map((p) => p.hash));
    const batch: TBatchRow = {
      id: (last?.id ?? -1) + 1,
      root: tree.root,
      previousRoot: last?.root ?? ZeroHash,
      eventCount: pending.length,
      status: "PENDING",
      txHash: null,
    };
    // Recorded before sending: after a crash, reconcile() knows exactly what may be on chain.
    await prisma.$transaction([
      prisma.anchorBatch.create({
        data: {
          id: batch.id,
          root: batch.root,
          previousRoot: batch.previousRoot,
          eventCount: batch.eventCount,
          status: "PENDING",
        },
      }),
      prisma.anchorLeaf.createMany({
        data: pending.map((p, leafIndex) => ({ eventId: p.id, batchId: batch.id, leafIndex })),
      }),
    ]);
    await send(batch);
    return pending.length;
  }

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let delay = opts.intervalMs;
  const loop = () => {
    if (stopped) return;
    running = tick()
      .then((n) => {
        delay = opts.intervalMs;
        // A full batch means more are waiting: go again at once.
        return n === opts.maxEvents ? 0 : opts.intervalMs;
      })
      .catch((err: Error) => {
        // Chain or database down: events keep being accepted; retry with backoff up to 30 s.
        delay = Math.min(30_000, delay * 2);
        log(
          `anchoring failed, retrying in ${Math.round(delay / 1000)} s: ${err.message.split("\n")[0]?.slice(0, 200)}`,
        );
        return delay;
      })
      .then((wait) => {
        if (!stopped) timer = setTimeout(loop, wait);
      });
  };
  if (opts.autoStart !== false) timer = setTimeout(loop, 0);

  return {
    tick,
    isLeader: () => leader,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => {});
      await lockClient?.end().catch(() => {});
      lockClient = null;
      leader = false;
    },
  };
}

const CURRENT = Symbol.for("transplant-portal.anchor-worker");
type TWorkerGlobal = typeof globalThis & { [CURRENT]?: TAnchorWorker };

/** This process's anchoring worker, if the launcher started one (for /api/health). */
export function currentAnchorWorker(): TAnchorWorker | null {
  return (globalThis as TWorkerGlobal)[CURRENT] ?? null;
}

/** Starts the worker from the validated environment (the launcher calls this). */
export function startAnchorWorker(opts: { replayLostBatches?: boolean } = {}): TAnchorWorker {
  const e = env();
  if (!e.DATABASE_URL) throw new Error("DATABASE_URL is required for the anchoring worker");
  const worker = createAnchorWorker({
    databaseUrl: e.DATABASE_URL,
    registry: chainClient().registry,
    intervalMs: e.ANCHOR_INTERVAL_MS,
    maxEvents: e.ANCHOR_MAX_EVENTS,
    confirmations: e.CHAIN_CONFIRMATIONS,
    replayLostBatches: opts.replayLostBatches ?? false,
  });
  (globalThis as TWorkerGlobal)[CURRENT] = worker;
  return worker;
}

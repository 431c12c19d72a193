import "server-only";

import { ZeroHash } from "ethers";
import pg from "pg";
import { chainClient, type TAnchorRegistry } from "@/server/chain/client";
import { prisma as defaultDb } from "@/server/db";
import { parseDatabaseUrl } from "@/server/db/database-url";
import { env } from "@/server/env";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { eventHash, headCommitment, type THead } from "./hash";
import { keyHistory, signatureProblem } from "./key-history";
import { subjectKey } from "./ledger-checks";
import { merkleRoot } from "./merkle";
import { pendingPasskeyProblems } from "./pending-passkey-signatures";
import { portalSigner } from "./portal-signer";
import { bundleEventOf, type TLedgerEventRow } from "./read-events";
import type { TPortalSigner } from "./signing-key";
import { introduceSigningKey, readKeyEvents } from "./signing-key-events";

export type TAnchorWorkerOptions = {
  databaseUrl: string;
  registry: TAnchorRegistry;
  intervalMs: number;
  maxEvents: number;
  confirmations: number;
  log?: (line: string) => void;
  /** Defaults to the process's client; tests pass one bound to their own schema. */
  db?: PrismaClient;
  /** The portal's signing key (default: this process's); introduced into the ledger on the first tick. */
  signer?: TPortalSigner;
  /** Start the timer loop (default); tests drive `tick()` themselves. */
  autoStart?: boolean;
  /**
   * When the chain holds fewer batches than were confirmed (a local dev chain restored from an
   * older state), re-anchor the missing ones from their recorded roots. Only for the portal's own
   * local anvil: on a real chain this is an incident for a person to look at, never automatic.
   */
  replayLostBatches?: boolean;
};

export type TAnchorWorker = {
  stop(): Promise<void>;
  tick(): Promise<number>;
  isLeader(): boolean;
  /** Events this worker refused to anchor (hash or signature failed), oldest first. */
  refused(): TRefusedEvent[];
};

/** An event the worker would not anchor, and why. */
export type TRefusedEvent = { eventId: string; subject: string; sequence: number; problem: string; at: Date };

type TPendingRow = TLedgerEventRow & { position: bigint };

/** Each subject's last event among `events` (in insertion order), sorted by subject: the batch's head leaves. */
function headsOf(events: TPendingRow[]): THead[] {
  const last = new Map<string, THead>();
  for (const e of events) {
    const k = subjectKey(e);
    const seen = last.get(k);
    if (!seen || e.sequence > seen.sequence)
      last.set(k, { subjectType: e.subjectType, subjectId: e.subjectId, sequence: e.sequence, hash: e.hash });
  }
  return [...last.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, h]) => h);
}

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
 * sends `anchor(root, count, previousRoot)` (SENT) and, on this or a later tick, marks the batch
 * CONFIRMED once its transaction has `confirmations` blocks; it never waits on a transaction, so
 * batching goes on while earlier batches gather their confirmations. On every tick it first
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

  /**
   * Sends a batch's anchoring transaction and records it as SENT, without waiting for it to be
   * mined: confirmations are counted on later ticks (`advance`), so a slow chain never blocks the
   * worker from batching the events that keep arriving.
   */
  async function send(batch: TBatchRow): Promise<void> {
    const tx = await opts.registry.anchor(batch.root, batch.eventCount, batch.previousRoot);
    await prisma.anchorBatch.update({
      where: { id: batch.id },
      data: { status: "SENT", txHash: tx.hash, sentAt: new Date() },
    });
    log(`batch ${batch.id}: ${batch.eventCount} events sent in ${tx.hash}`);
  }

  /**
   * A batch counts as anchored only once its transaction has the configured confirmations. Sent
   * batches are checked oldest first: mined and deep enough → CONFIRMED; mined but shallow → left
   * SENT with its block recorded; still in the mempool → left to wait; dropped by the node (and not
   * on chain) → sent again.
   */
  async function advance(): Promise<void> {
    const sent = (await prisma.anchorBatch.findMany({
      where: { status: "SENT" },
      orderBy: { id: "asc" },
    })) as Array<TBatchRow & { blockNumber: bigint | null }>;
    if (sent.length === 0) return;
    const provider = opts.registry.runner?.provider;
    if (!provider) throw new Error("the anchor registry has no provider to read confirmations from");
    const head = await provider.getBlockNumber();
    for (const batch of sent) {
      const receipt = batch.txHash ? await provider.getTransactionReceipt(batch.txHash) : null;
      if (!receipt) {
        const pending = batch.txHash ? await provider.getTransaction(batch.txHash) : null;
        if (pending) continue;
        if (Number(await opts.registry.batchCount()) > batch.id) continue; // reconcile() records it
        log(`batch ${batch.id}: transaction ${batch.txHash} was dropped, sending again`);
        await send(batch);
        continue;
      }
      if (receipt.status === 0) throw new Error(`batch ${batch.id}: transaction ${batch.txHash} reverted`);
      const depth = head - receipt.blockNumber + 1;
      if (depth >= opts.confirmations) {
        await confirm(batch.id, receipt.hash, receipt.blockNumber);
        log(
          `batch ${batch.id}: ${batch.eventCount} events anchored in block ${receipt.blockNumber} (${depth} of ${opts.confirmations} confirmations)`,
        );
      } else if (batch.blockNumber === null) {
        await prisma.anchorBatch.update({
          where: { id: batch.id },
          data: { blockNumber: BigInt(receipt.blockNumber) },
        });
      }
    }
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
      where: { status: "PENDING" },
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
        // Anchored already (the crash came after sending): find its transaction and record it as
        // sent; `advance` counts its confirmations like any other.
        const filter = opts.registry.filters.BatchAnchored?.(batch.id);
        const logs = filter ? await opts.registry.queryFilter(filter) : [];
        const found = logs[0];
        await prisma.anchorBatch.update({
          where: { id: batch.id },
          data: { status: "SENT", txHash: found?.transactionHash ?? batch.txHash, sentAt: new Date() },
        });
        log(`batch ${batch.id}: found on chain after a restart, recorded as sent`);
      } else {
        await send(batch);
      }
    }
  }

  let keyIntroduced = false;
  /** The portal's key is recorded in the ledger before anything it signed is anchored. */
  async function ensureKeyIntroduced(): Promise<void> {
    if (keyIntroduced) return;
    await introduceSigningKey({ signer: opts.signer ?? portalSigner(), db: prisma });
    keyIntroduced = true;
  }

  /** Events refused for anchoring, by id, with why (for /api/health and the log). */
  const refused = new Map<string, TRefusedEvent>();

  /**
   * The next events to anchor, each with its hash recomputed and its signature checked against the
   * ledger's key history: one that fails is refused (logged, kept out of every batch, reported by
   * `refused()`), so a row written straight into the database is never anchored as if genuine.
   * A passkey signature record is also checked against the decision it signs and the signer's
   * enrolled key (`pendingPasskeyProblems`), as the audit checks it.
   * Events recorded before the portal signed (none signed, written before the key's introduction,
   * which is not anchored yet) are anchored as they were.
   */
  async function checkedPending(): Promise<TPendingRow[]> {
    const keyEvents = await readKeyEvents(prisma);
    const keys = keyHistory(keyEvents);
    const intro = keyEvents[0];
    const legacyBefore = intro && !intro.place ? intro.position : null;
    const pending = await prisma.$queryRaw<TPendingRow[]>`
      SELECT e.* FROM "LedgerEvent" e
      WHERE NOT EXISTS (SELECT 1 FROM "AnchorLeaf" l WHERE l."eventId" = e.id)
        AND NOT (e.id = ANY(${[...refused.keys()]}::uuid[]))
      ORDER BY e.position LIMIT ${opts.maxEvents}`;
    const accepted: TPendingRow[] = [];
    const refuse = (r: TRefusedEvent) => {
      refused.set(r.eventId, r);
      log(`refusing to anchor event ${r.eventId} (${r.subject} #${r.sequence}): ${r.problem}`);
    };
    for (const row of pending) {
      const e = { ...bundleEventOf(row), signature: row.signature, signedBy: row.signedBy, place: null };
      const problem =
        eventHash(e) !== e.hash
          ? "its content does not match its hash"
          : !e.signature && legacyBefore !== null && row.position < legacyBefore
            ? null
            : signatureProblem(e, keys);
      if (problem === null) {
        accepted.push(row);
        continue;
      }
      refuse({ eventId: e.id, subject: subjectKey(e), sequence: e.sequence, problem, at: new Date() });
    }
    // Passkey signature records: the person's signature is checked too, against their enrolled key.
    const passkeyProblems = await pendingPasskeyProblems(
      prisma,
      accepted.map((row) => bundleEventOf(row)),
    );
    if (passkeyProblems.size === 0) return accepted;
    for (const [eventId, f] of passkeyProblems) {
      refuse({
        eventId,
        subject: f.subject ?? "",
        sequence: f.sequence ?? 0,
        problem: f.message,
        at: new Date(),
      });
    }
    return accepted.filter((row) => !passkeyProblems.has(row.id));
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
    await advance();
    await ensureKeyIntroduced();
    const accepted = await checkedPending();
    if (accepted.length === 0) return 0;
    const last = await prisma.anchorBatch.findFirst({
      orderBy: { id: "desc" },
      select: { id: true, root: true },
    });
    const heads = headsOf(accepted);
    // The root alone, in one buffer: OpenZeppelin's tree object (ethers' ABI encoder per leaf) cost a
    // batch of a few hundred events milliseconds of the thread that serves requests.
    const root = merkleRoot([...accepted.map((p) => p.hash), ...heads.map(headCommitment)]);
    const batch: TBatchRow = {
      id: (last?.id ?? -1) + 1,
      root,
      previousRoot: last?.root ?? ZeroHash,
      eventCount: accepted.length,
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
          leafFormat: 2,
        },
      }),
      prisma.anchorLeaf.createMany({
        data: accepted.map((p, leafIndex) => ({ eventId: p.id, batchId: batch.id, leafIndex, hash: p.hash })),
      }),
      prisma.anchorHead.createMany({
        data: heads.map((h, i) => ({ ...h, batchId: batch.id, leafIndex: accepted.length + i })),
      }),
    ]);
    await send(batch);
    // A chain that mines at once (anvil) needs no second tick to count the confirmations.
    await advance();
    return accepted.length;
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
    refused: () => [...refused.values()],
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

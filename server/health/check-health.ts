import "server-only";

import { JsonRpcProvider } from "ethers";
import { z } from "zod";
import { prisma } from "@/server/db";
import { env } from "@/server/env";
import { currentAnchorWorker } from "@/server/ledger/anchor-worker";
import { anchoringLag } from "@/server/ledger/anchoring-lag";
import { liveRegistry } from "@/server/live/registry";

export const ZHealthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.object({ ok: z.boolean(), error: z.string().optional() }),
  chain: z.object({
    ok: z.boolean(),
    chainId: z.string().optional(),
    blockNumber: z.number().optional(),
    contractAddress: z.string().optional(),
    error: z.string().optional(),
  }),
  socket: z.object({ ok: z.boolean(), clients: z.number(), redis: z.string() }),
  /** Whether this instance runs the anchoring worker and currently holds the anchoring lock. */
  anchor: z.object({
    running: z.boolean(),
    leader: z.boolean(),
    /**
     * Age of the oldest event not yet anchored with the configured confirmations (0 when none
     * waits); past `lagThresholdMs` the portal reports itself degraded, so a stall is seen.
     */
    lagMs: z.number().nullable(),
    oldestUnanchoredAt: z.string().nullable(),
    lagThresholdMs: z.number(),
    confirmationsRequired: z.number(),
    /**
     * Events this instance's worker refused to anchor because their hash or the portal's signature
     * did not hold (written into the database without the key): any makes the portal degraded.
     */
    refused: z.array(
      z.object({ eventId: z.string(), subject: z.string(), sequence: z.number(), problem: z.string() }),
    ),
    ok: z.boolean(),
  }),
  /** This instance's memory, for leak checks under load. */
  process: z.object({ rssMb: z.number(), heapUsedMb: z.number(), uptimeS: z.number() }),
});
export type THealth = z.infer<typeof ZHealthSchema>;

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out")), ms))]);

/** Reports whether each real part answers; never throws, so the endpoint itself stays up. */
export async function checkHealth(): Promise<THealth> {
  const { RPC_URL, ANCHOR_REGISTRY_ADDRESS, ANCHOR_LAG_DEGRADED_MS, CHAIN_CONFIRMATIONS } = env();
  const database = await withTimeout(prisma.$queryRaw`SELECT 1`, 2000)
    .then(() => ({ ok: true }))
    .catch(() => ({ ok: false, error: "database unreachable" }));

  let chain: THealth["chain"] = { ok: false, error: "no RPC_URL configured" };
  if (RPC_URL) {
    const provider = new JsonRpcProvider(RPC_URL, undefined, { staticNetwork: true, cacheTimeout: -1 });
    try {
      const [net, blockNumber] = await withTimeout(
        Promise.all([provider.send("eth_chainId", []), provider.getBlockNumber()]),
        2000,
      );
      chain = {
        ok: true,
        chainId: BigInt(net).toString(),
        blockNumber,
        contractAddress: ANCHOR_REGISTRY_ADDRESS,
      };
    } catch {
      chain = { ok: false, contractAddress: ANCHOR_REGISTRY_ADDRESS, error: "chain unreachable" };
    } finally {
      provider.destroy();
    }
  }
  const live = liveRegistry();
  const socket = { ok: live.io !== null, clients: live.io?.engine.clientsCount ?? 0, redis: live.redis };
  const lag = database.ok ? await withTimeout(anchoringLag(prisma), 2000).catch(() => null) : null;
  const worker = currentAnchorWorker();
  const refused = worker?.refused() ?? [];
  const anchorOk = lag !== null && lag.lagMs <= ANCHOR_LAG_DEGRADED_MS && refused.length === 0;
  const status = database.ok && chain.ok && socket.ok && anchorOk ? "ok" : "degraded";
  return {
    status,
    database,
    chain,
    socket,
    anchor: {
      running: worker !== null,
      leader: worker?.isLeader() ?? false,
      lagMs: lag?.lagMs ?? null,
      oldestUnanchoredAt: lag?.oldestUnanchoredAt?.toISOString() ?? null,
      lagThresholdMs: ANCHOR_LAG_DEGRADED_MS,
      confirmationsRequired: CHAIN_CONFIRMATIONS,
      refused: refused
        .slice(0, 20)
        .map(({ eventId, subject, sequence, problem }) => ({ eventId, subject, sequence, problem })),
      ok: anchorOk,
    },
    process: {
      rssMb: Math.round(process.memoryUsage().rss / 1e5) / 10,
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1e5) / 10,
      uptimeS: Math.round(process.uptime()),
    },
  };
}

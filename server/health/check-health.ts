import { JsonRpcProvider } from "ethers";
import { z } from "zod";
import { prisma } from "@/server/db";
import { env } from "@/server/env";
import { currentAnchorWorker } from "@/server/ledger/anchor-worker";
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
  anchor: z.object({ running: z.boolean(), leader: z.boolean() }),
  /** This instance's memory, for leak checks under load. */
  process: z.object({ rssMb: z.number(), heapUsedMb: z.number(), uptimeS: z.number() }),
});
export type THealth = z.infer<typeof ZHealthSchema>;

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out")), ms))]);

/** Reports whether each real part answers; never throws, so the endpoint itself stays up. */
export async function checkHealth(): Promise<THealth> {
  const { RPC_URL, ANCHOR_REGISTRY_ADDRESS } = env();
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
  const status = database.ok && chain.ok && socket.ok ? "ok" : "degraded";
  const worker = currentAnchorWorker();
  return {
    status,
    database,
    chain,
    socket,
    anchor: { running: worker !== null, leader: worker?.isLeader() ?? false },
    process: {
      rssMb: Math.round(process.memoryUsage().rss / 1e5) / 10,
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1e5) / 10,
      uptimeS: Math.round(process.uptime()),
    },
  };
}

import "server-only";

import { Redis } from "ioredis";
import { prisma } from "@/server/db";
import { env } from "@/server/env";
import { publishLive } from "@/server/live/publish";
import { ISCHEMIA_ALERT_EVENT } from "./custody-views";
import { ISCHEMIA_POLICY_V1 } from "./ischemia-limits";
import { coldIschemiaStatus } from "./ischemia-status";
import { organRooms } from "./organ-access";

export type TIschemiaAlert = {
  organId: string;
  din: string;
  organType: string;
  /** The threshold crossed, in % of the organ type's limit (75 = warn, 90 = escalate). */
  level: number;
  percentUsed: number;
  minutesLeft: number;
  message: string;
  at: string;
};

export type TIschemiaMonitor = { tick(): Promise<TIschemiaAlert[]>; stop(): Promise<void> };

/** Remembers which alerts went out, across instances when Redis is configured (first SET NX wins). */
function alertLedger(redisUrl: string | undefined) {
  const local = new Map<string, number>();
  const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 }) : null;
  redis?.on("error", () => {});
  return {
    async claim(organId: string, level: number): Promise<boolean> {
      if ((local.get(organId) ?? 0) >= level) return false;
      local.set(organId, level);
      if (!redis) return true;
      try {
        if (redis.status === "wait") await redis.connect();
        return (
          (await redis.set(`custody:ischemia-alert:${organId}:${level}`, "1", "EX", 3 * 86_400, "NX")) ===
          "OK"
        );
      } catch {
        return true; // Redis down: better a repeated alert than a missing one
      }
    },
    close: async () => {
      redis?.disconnect();
    },
  };
}

/**
 * Watches every organ whose cold ischemia clock runs (cross-clamp recorded, no reperfusion, not
 * discarded) and pushes an alert to the organ's rooms when it passes 75 % and again at 90 % of
 * its type's limit. Each alert goes out once per organ and level, even with several portal
 * instances.
 */
export function startIschemiaMonitor(
  opts: { intervalMs?: number; now?: () => Date; redisUrl?: string; autoStart?: boolean } = {},
): TIschemiaMonitor {
  const intervalMs = opts.intervalMs ?? 15_000;
  const clock = opts.now ?? (() => new Date());
  const sent = alertLedger(opts.redisUrl ?? env().REDIS_URL);
  let running: Promise<TIschemiaAlert[]> | null = null;

  const check = async (): Promise<TIschemiaAlert[]> => {
    const now = clock();
    const organs = await prisma.organ.findMany({
      where: {
        crossClampAt: { not: null },
        reperfusionAt: null,
        status: { notIn: ["TRANSPLANTED", "DISCARDED"] },
      },
      select: {
        id: true,
        din: true,
        type: true,
        crossClampAt: true,
        destinationOrgId: true,
        custodianOrgId: true,
        custodianUserId: true,
        donorCase: { select: { opoId: true } },
      },
    });
    const alerts: TIschemiaAlert[] = [];
    for (const o of organs) {
      const status = coldIschemiaStatus({ organType: o.type, crossClampAt: o.crossClampAt as Date, now });
      if (status.level === 0 || !(await sent.claim(o.id, status.level))) continue;
      const alert: TIschemiaAlert = {
        organId: o.id,
        din: o.din,
        organType: o.type,
        level: status.level,
        percentUsed: Math.round(status.percentUsed),
        minutesLeft: Math.round(status.minutesLeft),
        message:
          `${o.type.toLowerCase()} ${o.din}: ${Math.round(status.percentUsed)} % of its cold ischemia time used, ` +
          `${Math.max(0, Math.round(status.minutesLeft))} min left${status.level >= ISCHEMIA_POLICY_V1.escalateAtPercent ? " — escalate now" : ""}.`,
        at: now.toISOString(),
      };
      alerts.push(alert);
      publishLive(
        organRooms({
          opoId: o.donorCase.opoId,
          destinationOrgId: o.destinationOrgId,
          custodianOrgId: o.custodianOrgId,
          custodianUserId: o.custodianUserId,
        }),
        ISCHEMIA_ALERT_EVENT,
        alert,
      );
    }
    return alerts;
  };

  const tick = () => {
    running ??= check().finally(() => {
      running = null;
    });
    return running;
  };
  const timer =
    opts.autoStart === false
      ? null
      : setInterval(() => {
          tick().catch((err: Error) => console.error(`[ischemia] check failed: ${err.message}`));
        }, intervalMs);
  timer?.unref();
  if (opts.autoStart !== false) void tick().catch(() => {});
  return {
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => {});
      await sent.close();
    },
  };
}

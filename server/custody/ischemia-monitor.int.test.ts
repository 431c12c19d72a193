import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma } from "@/server/db";
import { createOrgan, createStaff, hoursAgo, packOrgan, type TStaff } from "@/test/factories/organ-factory";
import { startIschemiaMonitor } from "./ischemia-monitor";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let opo: TStaff;
let centre: TStaff;

beforeAll(async () => {
  [opo, centre] = await Promise.all([
    createStaff({ kind: "OPO" }),
    createStaff({ kind: "TRANSPLANT_CENTER" }),
  ]);
});
afterAll(async () => {
  await disconnectPrisma();
});

describe("ischemia monitor", () => {
  it("alerts once at 75 % and once at 90 %, even with two portal instances watching", async () => {
    const organ = await createOrgan({ opo, centre, type: "HEART" }); // 6 h limit
    await packOrgan({ organId: organ.id, opo, clampedAt: hoursAgo(4.6) }); // ≈ 77 %
    let now = new Date();
    const a = startIschemiaMonitor({ autoStart: false, redisUrl: REDIS_URL, now: () => now });
    const b = startIschemiaMonitor({ autoStart: false, redisUrl: REDIS_URL, now: () => now });
    try {
      const mine = async (m: typeof a) => (await m.tick()).filter((x) => x.organId === organ.id);
      const first = [...(await mine(a)), ...(await mine(b))];
      expect(first.map((x) => x.level)).toEqual([75]);
      expect(first[0]?.message).toMatch(/heart .* 7\d % of its cold ischemia time used/);
      expect([...(await mine(a)), ...(await mine(b))]).toEqual([]);

      now = new Date(Date.now() + 0.9 * 3_600_000); // ≈ 92 %
      const second = [...(await mine(b)), ...(await mine(a))];
      expect(second.map((x) => x.level)).toEqual([90]);
      expect(second[0]?.message).toMatch(/escalate/);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("stops watching an organ after reperfusion", async () => {
    const organ = await createOrgan({ opo, centre, type: "HEART" });
    await packOrgan({ organId: organ.id, opo, clampedAt: hoursAgo(5.8) });
    const { prisma } = await import("@/server/db");
    await prisma.organ.update({ where: { id: organ.id }, data: { reperfusionAt: new Date() } });
    const m = startIschemiaMonitor({ autoStart: false });
    try {
      expect((await m.tick()).filter((x) => x.organId === organ.id)).toEqual([]);
    } finally {
      await m.stop();
    }
  });
});

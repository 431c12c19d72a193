import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createRateLimiter, createRedisStore } from "./rate-limit";

/** The real Redis (REDIS_URL, or the local default), with a key prefix of this run's own. */
const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `test:ratelimit:${randomBytes(6).toString("hex")}`;
const clients: Redis[] = [];
const client = (u = url, extra = {}) => {
  const c = new Redis(u, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    ...extra,
  });
  c.on("error", () => {});
  clients.push(c);
  return c;
};
const ready = (c: Redis) =>
  new Promise((resolve) => (c.status === "ready" ? resolve(null) : c.once("ready", resolve)));

/** Two portal instances: separate connections, one shared prefix. */
async function twoInstances(name: string) {
  const [a, b] = [client(), client()];
  await Promise.all([ready(a), ready(b)]);
  const store = (c: Redis) => createRedisStore({ client: c, prefix: `${prefix}:${name}` });
  return [createRateLimiter(store(a)), createRateLimiter(store(b))] as const;
}

afterAll(async () => {
  const admin = client();
  await ready(admin);
  const keys = await admin.keys(`${prefix}:*`);
  if (keys.length) await admin.del(...keys);
  for (const c of clients) c.disconnect();
});

describe("rate limits in Redis, shared by instances", () => {
  it("admits exactly `limit` of many concurrent hits spread over two instances", async () => {
    const [a, b] = await twoInstances("concurrent");
    const rule = { name: "mut", limit: 25, windowMs: 60_000 };
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) => (i % 2 ? a : b).consume(rule, "user:1")),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(25);
    const refused = results.filter((r) => !r.allowed);
    expect(refused).toHaveLength(55);
    for (const r of refused)
      expect(r).toMatchObject({ allowed: false, retryAfterSeconds: expect.any(Number) });
    expect(await b.check(rule, "user:1")).toMatchObject({ allowed: false });
    expect((await a.consume(rule, "user:2")).allowed).toBe(true);
  });

  it("a window expires in Redis, and Retry-After counts down to it", async () => {
    const [a, b] = await twoInstances("expiry");
    const rule = { name: "short", limit: 2, windowMs: 1_200 };
    await a.consume(rule, "ip:1");
    await b.consume(rule, "ip:1");
    const over = await a.consume(rule, "ip:1");
    expect(over).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    expect((over as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 1_400));
    expect(await b.consume(rule, "ip:1")).toEqual({ allowed: true, remaining: 1 });
  });

  it("reset on one instance (a successful sign-in) clears the count for all", async () => {
    const [a, b] = await twoInstances("reset");
    const rule = { name: "sign-in", limit: 3, windowMs: 60_000 };
    for (let i = 0; i < 4; i++) await a.consume(rule, "ip|ada@test");
    expect((await b.check(rule, "ip|ada@test")).allowed).toBe(false);
    await b.reset(rule, "ip|ada@test");
    expect(await a.check(rule, "ip|ada@test")).toEqual({ allowed: true, remaining: 3 });
  });

  it("keeps no e-mail or address in Redis keys", async () => {
    const admin = client();
    await ready(admin);
    const keys = await admin.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k).toMatch(/^test:ratelimit:[0-9a-f]+:[a-z]+:[a-z-]+:[0-9a-f]{32}$/);
  });

  it("with Redis unreachable, answers at once from the in-memory fallback (no hang, still limited)", async () => {
    const dead = client("redis://127.0.0.1:1", { retryStrategy: () => null });
    const errors: string[] = [];
    const limiter = createRateLimiter(
      createRedisStore({ client: dead, prefix: `${prefix}:dead`, onError: (e) => errors.push(e.message) }),
    );
    const rule = { name: "mut", limit: 2, windowMs: 60_000 };
    const started = Date.now();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await limiter.consume(rule, "user:1"));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(results.map((r) => r.allowed)).toEqual([true, true, false]);
    expect(errors).toHaveLength(1);
  });
});

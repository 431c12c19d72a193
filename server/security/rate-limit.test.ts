import { describe, expect, it } from "vitest";
import { createMemoryStore, createRateLimiter, createRedisStore, subjectKey } from "./rate-limit";

const rule = { name: "t", limit: 3, windowMs: 10_000 };

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("rate limiter over the in-memory store", () => {
  it("allows `limit` hits in a window, then refuses with the seconds left in it", async () => {
    const c = clock();
    const limiter = createRateLimiter(createMemoryStore({ now: c.now }));
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.consume(rule, "a"));
    expect(results.slice(0, 3)).toEqual([
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
    ]);
    expect(results[3]).toEqual({ allowed: false, retryAfterSeconds: 10 });
    c.advance(7_500);
    expect(await limiter.consume(rule, "a")).toEqual({ allowed: false, retryAfterSeconds: 3 });
  });

  it("starts a fresh window once the old one has ended", async () => {
    const c = clock();
    const limiter = createRateLimiter(createMemoryStore({ now: c.now }));
    for (let i = 0; i < 5; i++) await limiter.consume(rule, "a");
    c.advance(10_000);
    expect(await limiter.consume(rule, "a")).toEqual({ allowed: true, remaining: 2 });
  });

  it("counts subjects and rules separately", async () => {
    const limiter = createRateLimiter(createMemoryStore());
    for (let i = 0; i < 3; i++) await limiter.consume(rule, "a");
    expect((await limiter.consume(rule, "a")).allowed).toBe(false);
    expect((await limiter.consume(rule, "b")).allowed).toBe(true);
    expect((await limiter.consume({ ...rule, name: "other" }, "a")).allowed).toBe(true);
  });

  it("check() looks without counting; reset() forgets", async () => {
    const limiter = createRateLimiter(createMemoryStore());
    expect(await limiter.check(rule, "a")).toEqual({ allowed: true, remaining: 3 });
    for (let i = 0; i < 3; i++) await limiter.consume(rule, "a");
    expect((await limiter.check(rule, "a")).allowed).toBe(false);
    expect((await limiter.check(rule, "a")).allowed).toBe(false);
    await limiter.reset(rule, "a");
    expect(await limiter.check(rule, "a")).toEqual({ allowed: true, remaining: 3 });
  });

  it("Retry-After is at least one second, never zero", async () => {
    const c = clock();
    const limiter = createRateLimiter(createMemoryStore({ now: c.now }));
    for (let i = 0; i < 3; i++) await limiter.consume(rule, "a");
    c.advance(9_999);
    expect(await limiter.consume(rule, "a")).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("holds at most maxKeys windows under a flood of distinct subjects", async () => {
    const store = createMemoryStore({ maxKeys: 100 });
    for (let i = 0; i < 1000; i++) await store.hit(`k${i}`, 60_000);
    expect(await store.peek("k0")).toBeNull();
    expect(await store.peek("k999")).toMatchObject({ count: 1 });
  });

  it("keys hash the subject, so no e-mail or address is stored", () => {
    const key = subjectKey(rule, "203.0.113.9|ada@example.test");
    expect(key).toMatch(/^t:[0-9a-f]{32}$/);
    expect(key).not.toContain("ada");
  });
});

describe("Redis store when Redis fails", () => {
  it("counts in the fallback store and reports the outage once", async () => {
    const down = new Error("connect ECONNREFUSED");
    const client = {
      eval: async () => {
        throw down;
      },
      get: async () => {
        throw down;
      },
      pttl: async () => {
        throw down;
      },
      del: async () => {
        throw down;
      },
    } as unknown as Parameters<typeof createRedisStore>[0]["client"];
    const errors: Error[] = [];
    const limiter = createRateLimiter(
      createRedisStore({ client, prefix: "p", onError: (e) => errors.push(e) }),
    );
    for (let i = 0; i < 3; i++) expect((await limiter.consume(rule, "a")).allowed).toBe(true);
    expect((await limiter.consume(rule, "a")).allowed).toBe(false);
    expect((await limiter.check(rule, "a")).allowed).toBe(false);
    await limiter.reset(rule, "a");
    expect((await limiter.check(rule, "a")).allowed).toBe(true);
    expect(errors).toEqual([down]);
  });
});

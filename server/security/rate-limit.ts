import "server-only";

import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** How many hits a key has had in its current window, and when that window ends. */
export type THit = { count: number; resetInMs: number };

/**
 * Where counters live. Fixed windows: the first hit of a key starts a window of `windowMs`; every
 * later hit in it adds one. Instances of one portal share a Redis store, so a limit holds across them.
 */
export type TRateLimitStore = {
  hit(key: string, windowMs: number): Promise<THit>;
  peek(key: string): Promise<THit | null>;
  reset(key: string): Promise<void>;
};

/** A limit: at most `limit` hits per `windowMs` for each subject (a user, an IP, an IP + e-mail). */
export type TRateLimitRule = { name: string; limit: number; windowMs: number };

export type TRateLimitDecision =
  | { allowed: true; remaining: number }
  | { allowed: false; retryAfterSeconds: number };

/**
 * Counters in this process only: right for one instance and for tests, and the fallback while
 * Redis is unreachable. Expired windows are dropped lazily; `maxKeys` bounds memory under a flood
 * of distinct subjects by dropping the oldest windows first.
 */
export function createMemoryStore(opts: { now?: () => number; maxKeys?: number } = {}): TRateLimitStore {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 100_000;
  const windows = new Map<string, { count: number; resetAt: number }>();
  const live = (key: string) => {
    const w = windows.get(key);
    if (w && w.resetAt <= now()) {
      windows.delete(key);
      return undefined;
    }
    return w;
  };
  return {
    async hit(key, windowMs) {
      let w = live(key);
      if (!w) {
        if (windows.size >= maxKeys) {
          for (const [k, v] of windows) if (v.resetAt <= now()) windows.delete(k);
          // Map iteration is insertion order: the first keys are the oldest windows.
          for (const k of windows.keys()) {
            if (windows.size < maxKeys) break;
            windows.delete(k);
          }
        }
        w = { count: 0, resetAt: now() + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      return { count: w.count, resetInMs: w.resetAt - now() };
    },
    async peek(key) {
      const w = live(key);
      return w ? { count: w.count, resetInMs: w.resetAt - now() } : null;
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

// INCR and the expiry in one step, so two instances can never both start a window or lose a hit.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/**
 * Counters in Redis, shared by every instance using the same `prefix`. When Redis fails (down,
 * slow), the hit is counted in `fallback` instead: limits then hold per instance until Redis
 * returns, and a request is never refused or held up because Redis is away.
 */
export function createRedisStore(opts: {
  client: Redis;
  prefix: string;
  fallback?: TRateLimitStore;
  onError?: (err: Error) => void;
}): TRateLimitStore {
  const { client, prefix } = opts;
  const fallback = opts.fallback ?? createMemoryStore();
  let reported = false;
  const failed = (err: unknown) => {
    if (!reported) opts.onError?.(err as Error);
    reported = true;
  };
  const ok = () => {
    reported = false;
  };
  return {
    async hit(key, windowMs) {
      try {
        const [count, ttl] = (await client.eval(HIT_SCRIPT, 1, `${prefix}:${key}`, windowMs)) as [
          number,
          number,
        ];
        ok();
        return { count: Number(count), resetInMs: Number(ttl) };
      } catch (err) {
        failed(err);
        return fallback.hit(key, windowMs);
      }
    },
    async peek(key) {
      try {
        const [count, ttl] = await Promise.all([
          client.get(`${prefix}:${key}`),
          client.pttl(`${prefix}:${key}`),
        ]);
        ok();
        return count === null || ttl < 0 ? null : { count: Number(count), resetInMs: ttl };
      } catch (err) {
        failed(err);
        return fallback.peek(key);
      }
    },
    async reset(key) {
      await fallback.reset(key);
      try {
        await client.del(`${prefix}:${key}`);
      } catch (err) {
        failed(err);
      }
    },
  };
}

/** Subjects are hashed into keys, so no e-mail or IP address is stored in Redis. */
export function subjectKey(rule: TRateLimitRule, subject: string): string {
  return `${rule.name}:${createHash("sha256").update(subject).digest("hex").slice(0, 32)}`;
}

const decide = (rule: TRateLimitRule, hit: THit | null, counting: boolean): TRateLimitDecision => {
  const count = hit?.count ?? 0;
  // Consuming: this hit is already counted, so the limit-th hit passes and the next is refused.
  const over = counting ? count > rule.limit : count >= rule.limit;
  if (!over) return { allowed: true, remaining: Math.max(0, rule.limit - count) };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((hit?.resetInMs ?? 0) / 1000)) };
};

export type TRateLimiter = {
  /** Counts one hit for `subject` and says whether it is within the rule. */
  consume(rule: TRateLimitRule, subject: string): Promise<TRateLimitDecision>;
  /** Whether a further hit would be allowed, without counting one. */
  check(rule: TRateLimitRule, subject: string): Promise<TRateLimitDecision>;
  /** Forgets the subject's hits (e.g. after a successful sign-in). */
  reset(rule: TRateLimitRule, subject: string): Promise<void>;
};

/** A limiter over a store; rules are passed per call so one limiter serves every policy. */
export function createRateLimiter(store: TRateLimitStore): TRateLimiter {
  return {
    async consume(rule, subject) {
      return decide(rule, await store.hit(subjectKey(rule, subject), rule.windowMs), true);
    },
    async check(rule, subject) {
      return decide(rule, await store.peek(subjectKey(rule, subject)), false);
    },
    reset: (rule, subject) => store.reset(subjectKey(rule, subject)),
  };
}

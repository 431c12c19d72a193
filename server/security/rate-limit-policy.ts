import "server-only";

import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import {
  createMemoryStore,
  createRateLimiter,
  createRedisStore,
  type TRateLimitDecision,
  type TRateLimiter,
  type TRateLimitRule,
} from "./rate-limit";

/**
 * The portal's limits. Sign-in is counted per client address + e-mail (on top of the account
 * lock-out after five wrong passwords), and forgotten after a successful sign-in so a person is
 * never limited by their own sign-ins. API calls are counted per signed-in user, or per address
 * for anonymous callers. All are multiplied by RATE_LIMIT_FACTOR.
 */
export const RATE_LIMITS = {
  signIn: { name: "sign-in", limit: 10, windowMs: 15 * 60_000 },
  /** Failed sign-ins from one address whatever the e-mail (password spraying across accounts). */
  signInFailuresPerAddress: { name: "sign-in-failures-address", limit: 30, windowMs: 15 * 60_000 },
  /** Registrations (form and API) from one address, valid or not. */
  registration: { name: "registration", limit: 10, windowMs: 60 * 60_000 },
  mutation: { name: "api-mutation", limit: 120, windowMs: 60_000 },
  publicApi: { name: "api-public", limit: 60, windowMs: 60_000 },
} as const satisfies Record<string, TRateLimitRule>;

const scaled = (rule: TRateLimitRule): TRateLimitRule => ({
  ...rule,
  limit: rule.limit * env().RATE_LIMIT_FACTOR,
});

/** Over a limit: tRPC answers TOO_MANY_REQUESTS (HTTP 429) with a Retry-After header. */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super("TOO_MANY_REQUESTS", message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Seconds to wait, if `err` (or its cause) is a rate-limit refusal. */
export function retryAfterOf(err: unknown): number | undefined {
  const candidates = [err, (err as { cause?: unknown })?.cause];
  for (const c of candidates) {
    const seconds = (c as { retryAfterSeconds?: unknown })?.retryAfterSeconds;
    if (typeof seconds === "number") return seconds;
  }
  return undefined;
}

export const waitPhrase = (seconds: number) =>
  seconds < 90 ? `${seconds} second${seconds === 1 ? "" : "s"}` : `${Math.ceil(seconds / 60)} minutes`;

// Route handlers, server actions and the custom server are bundled apart: globalThis is shared.
const KEY = Symbol.for("transplant-portal.rate-limiter");
type TGlobal = typeof globalThis & { [KEY]?: TRateLimiter };

/**
 * The process's limiter: counters in Redis when REDIS_URL is set (shared by every instance of
 * this portal, keyed by its database), in memory otherwise. Redis commands never queue while it
 * is away: they fail at once and the in-memory fallback counts instead.
 */
export function rateLimiter(): TRateLimiter {
  const g = globalThis as TGlobal;
  if (g[KEY]) return g[KEY];
  const { REDIS_URL, DATABASE_URL } = env();
  const memory = createMemoryStore();
  if (!REDIS_URL) {
    g[KEY] = createRateLimiter(memory);
    return g[KEY];
  }
  const client = new Redis(REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
  });
  client.on("error", () => {}); // reported once per outage by the store below
  const portal = createHash("sha256")
    .update(DATABASE_URL ?? "")
    .digest("hex")
    .slice(0, 16);
  g[KEY] = createRateLimiter(
    createRedisStore({
      client,
      prefix: `ratelimit:${portal}`,
      fallback: memory,
      onError: (err) =>
        console.warn(
          `[rate-limit] Redis unavailable (${err.message}); counting in this instance until it returns`,
        ),
    }),
  );
  return g[KEY];
}

/** For tests: use this limiter (null: build from the environment again on next use). */
export function setRateLimiter(limiter: TRateLimiter | null): void {
  (globalThis as TGlobal)[KEY] = limiter ?? undefined;
}

/**
 * Counts an API call by `user` (or the anonymous client at `ip`) and refuses it when over the
 * limit: mutations, and every call to a public procedure. Signed-in reads are not limited.
 */
export async function limitApiCall(opts: {
  userId: string | null;
  ip: string;
  type: "query" | "mutation" | "subscription";
  isPublic: boolean;
}): Promise<void> {
  if (opts.type !== "mutation" && !opts.isPublic) return;
  const rule = scaled(opts.userId ? RATE_LIMITS.mutation : RATE_LIMITS.publicApi);
  const decision = await rateLimiter().consume(rule, opts.userId ? `user:${opts.userId}` : `ip:${opts.ip}`);
  if (!decision.allowed) {
    throw new RateLimitedError(
      `Too many requests: please wait ${waitPhrase(decision.retryAfterSeconds)} and try again.`,
      decision.retryAfterSeconds,
    );
  }
}

const signInSubject = (opts: { ip: string; email: string }) =>
  `${opts.ip}|${opts.email.trim().toLowerCase()}`;

/** Whether this address may still try to sign in (it has not failed too often, whatever the e-mails). */
export async function checkSignInAddress(opts: { ip: string }): Promise<TRateLimitDecision> {
  return rateLimiter().check(scaled(RATE_LIMITS.signInFailuresPerAddress), `ip:${opts.ip}`);
}

/** Counts a failed sign-in against its address. */
export async function countFailedSignIn(opts: { ip: string }): Promise<void> {
  await rateLimiter().consume(scaled(RATE_LIMITS.signInFailuresPerAddress), `ip:${opts.ip}`);
}

/**
 * Counts one registration attempt from `ip` and refuses it over the limit, on every way in (the
 * no-JavaScript form's server action and the API), so accounts cannot be created or probed in bulk.
 */
export async function limitRegistration(opts: { ip: string }): Promise<void> {
  const decision = await rateLimiter().consume(scaled(RATE_LIMITS.registration), `ip:${opts.ip}`);
  if (!decision.allowed) {
    throw new RateLimitedError(
      `Too many registrations from your network: please try again in ${waitPhrase(decision.retryAfterSeconds)}.`,
      decision.retryAfterSeconds,
    );
  }
}

/** Counts one sign-in attempt for this address + e-mail. */
export function consumeSignInAttempt(opts: { ip: string; email: string }): Promise<TRateLimitDecision> {
  return rateLimiter().consume(scaled(RATE_LIMITS.signIn), signInSubject(opts));
}

/** Whether a further sign-in attempt would be allowed (without counting one). */
export function checkSignInAttempt(opts: { ip: string; email: string }): Promise<TRateLimitDecision> {
  return rateLimiter().check(scaled(RATE_LIMITS.signIn), signInSubject(opts));
}

/** After a successful sign-in, the earlier attempts no longer count. */
export function clearSignInAttempts(opts: { ip: string; email: string }): Promise<void> {
  return rateLimiter().reset(scaled(RATE_LIMITS.signIn), signInSubject(opts));
}

export const signInLimitedMessage = (seconds: number) =>
  `Too many sign-in attempts for this e-mail from your network: try again in ${waitPhrase(seconds)}.`;

/** Why a sign-in was refused by a limit, and how long to wait (the address cap is named when it applies). */
export async function signInRefusal(opts: {
  ip: string;
  email: string;
}): Promise<{ message: string; seconds: number }> {
  const address = await checkSignInAddress(opts);
  if (!address.allowed) {
    const seconds = address.retryAfterSeconds;
    return {
      message: `Too many failed sign-ins from your network: try again in ${waitPhrase(seconds)}.`,
      seconds,
    };
  }
  const gate = await checkSignInAttempt(opts);
  const seconds = gate.allowed ? 60 : gate.retryAfterSeconds;
  return { message: signInLimitedMessage(seconds), seconds };
}

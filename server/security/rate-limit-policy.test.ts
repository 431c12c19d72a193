import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryStore, createRateLimiter } from "./rate-limit";
import {
  checkSignInAttempt,
  clearSignInAttempts,
  consumeSignInAttempt,
  limitApiCall,
  RATE_LIMITS,
  RateLimitedError,
  retryAfterOf,
  setRateLimiter,
  signInLimitedMessage,
} from "./rate-limit-policy";

beforeEach(() => setRateLimiter(createRateLimiter(createMemoryStore())));
afterEach(() => setRateLimiter(null));

describe("sign-in attempts per address + e-mail", () => {
  const ada = { ip: "203.0.113.1", email: "ada@example.test" };

  it("refuses the attempt after the limit, for that address and e-mail only", async () => {
    for (let i = 0; i < RATE_LIMITS.signIn.limit; i++)
      expect((await consumeSignInAttempt(ada)).allowed).toBe(true);
    expect((await consumeSignInAttempt(ada)).allowed).toBe(false);
    // The same e-mail spelled differently is the same account.
    expect((await checkSignInAttempt({ ...ada, email: " ADA@example.test" })).allowed).toBe(false);
    expect((await consumeSignInAttempt({ ...ada, ip: "203.0.113.2" })).allowed).toBe(true);
    expect((await consumeSignInAttempt({ ...ada, email: "bob@example.test" })).allowed).toBe(true);
  });

  it("forgets earlier attempts after a successful sign-in", async () => {
    for (let i = 0; i < RATE_LIMITS.signIn.limit - 1; i++) await consumeSignInAttempt(ada);
    await clearSignInAttempts(ada);
    expect(await checkSignInAttempt(ada)).toEqual({ allowed: true, remaining: RATE_LIMITS.signIn.limit });
  });

  it("says how long to wait, in words a person reads", () => {
    expect(signInLimitedMessage(840)).toBe(
      "Too many sign-in attempts for this e-mail from your network: try again in 14 minutes.",
    );
    expect(signInLimitedMessage(1)).toMatch(/in 1 second\.$/);
  });
});

describe("API calls", () => {
  it("does not count signed-in queries: a coordinator refreshing all shift is never refused", async () => {
    for (let i = 0; i < 500; i++)
      await expect(
        limitApiCall({ userId: "u", ip: "1.1.1.1", type: "query", isPublic: false }),
      ).resolves.toBeUndefined();
    // Nor do they eat into the same person's writes.
    for (let i = 0; i < RATE_LIMITS.mutation.limit; i++)
      await expect(
        limitApiCall({ userId: "u", ip: "1.1.1.1", type: "mutation", isPublic: false }),
      ).resolves.toBeUndefined();
    await expect(
      limitApiCall({ userId: "u", ip: "1.1.1.1", type: "mutation", isPublic: false }),
    ).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("counts writes per person, not per network: colleagues behind one hospital address each get their own", async () => {
    for (let i = 0; i < RATE_LIMITS.mutation.limit; i++)
      await limitApiCall({ userId: "a", ip: "10.0.0.1", type: "mutation", isPublic: false });
    await expect(
      limitApiCall({ userId: "a", ip: "10.0.0.1", type: "mutation", isPublic: false }),
    ).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/^Too many requests: please wait/),
    });
    await expect(
      limitApiCall({ userId: "b", ip: "10.0.0.1", type: "mutation", isPublic: false }),
    ).resolves.toBeUndefined();
  });

  it("throws a RateLimitedError (TOO_MANY_REQUESTS) carrying Retry-After", async () => {
    const call = () => limitApiCall({ userId: null, ip: "1.1.1.1", type: "query", isPublic: true });
    for (let i = 0; i < RATE_LIMITS.publicApi.limit; i++) await call();
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).code).toBe("TOO_MANY_REQUESTS");
    expect(retryAfterOf({ cause: err })).toBeGreaterThan(0);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER } from "@/server/security/client-address";
import { createMemoryStore, createRateLimiter } from "@/server/security/rate-limit";
import { consumeSignInAttempt, RATE_LIMITS, setRateLimiter } from "@/server/security/rate-limit-policy";
import { guardAuthPost } from "./guard-auth-post";

const post = (headers: Record<string, string>, body = "email=ada%40example.test&password=x") =>
  new Request("http://portal.test/api/auth/callback/credentials", {
    method: "POST",
    headers: { host: "portal.test", "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
const redirectTo = (location: string) => async () =>
  new Response(null, { status: 302, headers: { location } });

beforeEach(() => setRateLimiter(createRateLimiter(createMemoryStore())));
afterEach(() => setRateLimiter(null));

describe("POST /api/auth/*", () => {
  it("refuses a cross-origin POST before next-auth sees it", async () => {
    let called = false;
    const res = await guardAuthPost(post({ origin: "https://evil.test" }), async () => {
      called = true;
      return new Response(null);
    });
    expect(res.status).toBe(403);
    expect(called).toBe(false);
  });

  it("passes a same-origin POST through unchanged", async () => {
    const res = await guardAuthPost(post({ origin: "http://portal.test" }), redirectTo("/home"));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/home");
  });

  it("turns next-auth's rate-limited redirect into 429 with Retry-After", async () => {
    const attempt = { ip: "203.0.113.5", email: "ada@example.test" };
    for (let i = 0; i <= RATE_LIMITS.signIn.limit; i++) await consumeSignInAttempt(attempt);
    const res = await guardAuthPost(
      post({ origin: "http://portal.test", [CLIENT_IP_HEADER]: attempt.ip }),
      redirectTo("http://portal.test/sign-in?error=CredentialsSignin&code=rate_limited"),
    );
    expect(res.status).toBe(429);
    const seconds = Number(res.headers.get("retry-after"));
    expect(seconds).toBeGreaterThan(RATE_LIMITS.signIn.windowMs / 1000 - 5);
    expect(await res.json()).toEqual({
      error: `Too many sign-in attempts for this e-mail from your network: try again in ${Math.ceil(seconds / 60)} minutes.`,
    });
  });
});

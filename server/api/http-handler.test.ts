import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TSessionUser } from "@/server/auth/roles";
import { disconnectPrisma } from "@/server/db";
import { resetEnvCache } from "@/server/env";
import { CLIENT_IP_HEADER } from "@/server/security/client-address";
import { createMemoryStore, createRateLimiter } from "@/server/security/rate-limit";
import { RATE_LIMITS, setRateLimiter } from "@/server/security/rate-limit-policy";
import { handleTrpcRequest } from "./http-handler";

const courier: TSessionUser = {
  id: "00000000-0000-4000-8000-00000000c0c0",
  email: "courier@test",
  name: "Courier",
  role: "COURIER",
  organisationId: null,
  organisationName: null,
};

type TBody = { error?: { json: { message: string; data: { code: string; retryAfterSeconds?: number } } } };

async function call(opts: {
  path: string;
  method?: "GET" | "POST";
  input?: unknown;
  headers?: Record<string, string>;
  user?: TSessionUser | null;
}) {
  const url = new URL(`http://portal.test/api/trpc/${opts.path}`);
  const method = opts.method ?? "POST";
  const req = new Request(url, {
    method,
    headers: { host: "portal.test", "content-type": "application/json", ...opts.headers },
    body: method === "POST" ? JSON.stringify({ json: opts.input }) : undefined,
  });
  const res = await handleTrpcRequest(req, { currentUser: async () => opts.user ?? null });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: (await res.json()) as TBody,
  };
}

// An invalid input, so a call that passes the guards stops at validation (400) and writes nothing.
const badCustodyInput = { organId: "not-a-uuid" };

beforeEach(() => setRateLimiter(createRateLimiter(createMemoryStore())));
afterEach(() => setRateLimiter(null));

describe("tRPC over HTTP: CSRF", () => {
  it("refuses a mutation sent from another site's page (403), before anything runs", async () => {
    const res = await call({
      path: "custody.recordEvent",
      input: badCustodyInput,
      user: courier,
      headers: { origin: "https://evil.test" },
    });
    expect(res.status).toBe(403);
    expect(res.body.error?.json.data.code).toBe("FORBIDDEN");
    expect(res.body.error?.json.message).toMatch(/did not come from the portal's own pages/);
  });

  it("refuses a mutation a browser marks Sec-Fetch-Site: cross-site", async () => {
    const res = await call({
      path: "consent.register",
      input: {},
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(res.status).toBe(403);
  });

  it("lets a same-origin mutation through to validation (400)", async () => {
    const res = await call({
      path: "custody.recordEvent",
      input: badCustodyInput,
      user: courier,
      headers: { origin: "http://portal.test", "sec-fetch-site": "same-origin" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error?.json.data.code).toBe("BAD_REQUEST");
  });

  it("does not refuse a cross-origin read (the browser keeps its answer from the other site)", async () => {
    const res = await call({
      path: "session.whoami",
      method: "GET",
      user: courier,
      headers: { origin: "https://evil.test" },
    });
    expect(res.status).toBe(200);
  });
});

describe("tRPC over HTTP: rate limits", () => {
  it("answers 429 TOO_MANY_REQUESTS with Retry-After once a user exceeds the mutation limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMITS.mutation.limit; i++) {
      statuses.push(
        (await call({ path: "custody.recordEvent", input: badCustodyInput, user: courier })).status,
      );
    }
    expect(new Set(statuses)).toEqual(new Set([400]));
    const over = await call({ path: "custody.recordEvent", input: badCustodyInput, user: courier });
    expect(over.status).toBe(429);
    expect(over.body.error?.json.data.code).toBe("TOO_MANY_REQUESTS");
    expect(over.body.error?.json.message).toMatch(
      /^Too many requests: please wait \d+ seconds? and try again\.$/,
    );
    expect(Number(over.retryAfter)).toBeGreaterThan(0);
    expect(over.body.error?.json.data.retryAfterSeconds).toBe(Number(over.retryAfter));
    // Another user is not affected.
    const other = await call({
      path: "custody.recordEvent",
      input: badCustodyInput,
      user: { ...courier, id: "00000000-0000-4000-8000-00000000beef" },
    });
    expect(other.status).toBe(400);
  });

  it("limits anonymous calls to public procedures per client address", async () => {
    const from = (ip: string) => ({
      path: "ledger.getEventProof",
      method: "GET" as const,
      headers: { [CLIENT_IP_HEADER]: ip },
    });
    for (let i = 0; i < RATE_LIMITS.publicApi.limit; i++)
      expect((await call(from("203.0.113.7"))).status).toBe(400);
    const over = await call(from("203.0.113.7"));
    expect(over.status).toBe(429);
    expect(over.retryAfter).toMatch(/^\d+$/);
    expect((await call(from("203.0.113.8"))).status).toBe(400);
  });

  it("limits registrations per client address, malformed ones included (issue #15: 70 posts in 3 s)", async () => {
    const from = (ip: string) => ({
      path: "consent.register",
      input: {},
      headers: { [CLIENT_IP_HEADER]: ip },
    });
    for (let i = 0; i < RATE_LIMITS.registration.limit; i++)
      expect((await call(from("203.0.113.9"))).status).toBe(400);
    const over = await call(from("203.0.113.9"));
    expect(over.status).toBe(429);
    expect(over.body.error?.json.message).toMatch(/^Too many registrations from your network/);
    expect(over.retryAfter).toMatch(/^\d+$/);
    expect((await call(from("203.0.113.10"))).status).toBe(400);
  });

  it("does not count signed-in reads", async () => {
    for (let i = 0; i < RATE_LIMITS.publicApi.limit + 5; i++) {
      expect((await call({ path: "session.whoami", method: "GET", user: courier })).status).toBe(200);
    }
  });
});

describe("tRPC over HTTP: database away", () => {
  it("answers 503 SERVICE_UNAVAILABLE with Retry-After and a message to try again", async () => {
    // Both the owner's and the portal role's URL point nowhere (the integration run exports the
    // role's URL to every worker).
    const saved = process.env.DATABASE_URL;
    const savedApp = process.env.DATABASE_APP_URL;
    process.env.DATABASE_URL = "postgresql://nobody:x@127.0.0.1:1/portal";
    delete process.env.DATABASE_APP_URL;
    resetEnvCache();
    try {
      const admin = { ...courier, role: "ADMIN" as const };
      const res = await call({ path: "admin.listUsers", method: "GET", user: admin });
      expect(res.status).toBe(503);
      expect(res.retryAfter).toBe("5");
      expect(res.body.error?.json.data.code).toBe("SERVICE_UNAVAILABLE");
      expect(res.body.error?.json.message).toBe(
        "The database is briefly unavailable; please try again in a few seconds.",
      );
    } finally {
      await disconnectPrisma();
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
      if (savedApp !== undefined) process.env.DATABASE_APP_URL = savedApp;
      resetEnvCache();
    }
  });
});

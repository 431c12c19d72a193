import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAuthPath, serveAuth } from "./node-auth-handler";

describe("which targets are next-auth's", () => {
  it.each([
    ["/api/auth", true],
    ["/api/auth/csrf", true],
    ["/api/auth/callback/credentials?x=1", true],
    ["/api/auth?x=1", true],
    ["/api/authx", false],
    ["/api/author/csrf", false],
    ["/api/trpc/session.whoami", false],
    ["/sign-in", false],
    [undefined, false],
  ])("%s → %s", (url, want) => {
    expect(isAuthPath(url)).toBe(want);
  });
});

describe("/api/auth served beside Next.js", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    process.env.AUTH_SECRET ??= "a-test-secret-that-is-long-enough-for-next-auth";
    server = createServer((req, res) => {
      serveAuth(req, res).catch((err: unknown) => {
        res.writeHead(500);
        res.end(String((err as Error)?.stack ?? err));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("hands out a CSRF token with its cookie, and the security headers every response carries", async () => {
    const res = await fetch(`${base}/api/auth/csrf`);
    expect(res.status).toBe(200);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    expect(csrfToken).toMatch(/^[0-9a-f]{64}$/);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("authjs.csrf-token="))).toBe(true);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toContain("no-store");
  });

  it("refuses a POST from another site before next-auth sees it", async () => {
    const res = await fetch(`${base}/api/auth/signout`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "csrfToken=x",
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toContain("evil.example");
  });

  it("refuses a sign-in without the CSRF token, reading the streamed form body", async () => {
    const res = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: base, "content-type": "application/x-www-form-urlencoded" },
      body: "email=opo%40demo.test&password=wrong",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("error=MissingCSRF");
    expect(res.headers.getSetCookie().some((c) => c.includes("session-token"))).toBe(false);
  });

  it("answers another method with 405, naming the method and the methods allowed", async () => {
    const res = await fetch(`${base}/api/auth/session`, { method: "PUT" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    expect(((await res.json()) as { error: string }).error).toBe("PUT is not allowed on /api/auth/session");
  });
});

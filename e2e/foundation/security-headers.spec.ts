import { expect, signInAs, test } from "../fixtures/auth";

test("pages carry a strict nonce-based CSP and the other security headers", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const response = await page.goto("/");
  const headers = response?.headers() ?? {};
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("unsafe-eval");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-powered-by"]).toBeUndefined();

  // The app still works under the policy: client components hydrate and the live channel connects.
  await signInAs(page, "ADMIN");
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "connected");
  expect(violations).toEqual([]);
});

test("the session cookie is HttpOnly and SameSite=Lax", async ({ page, context }) => {
  await signInAs(page, "REGULATOR");
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
});

test("API answers carry the same security headers as pages, signed in or not", async ({ page }) => {
  const check = (headers: Record<string, string>) => {
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["strict-transport-security"]).toContain("max-age=");
    expect(headers["x-powered-by"]).toBeUndefined();
  };
  const anonymous = await page.request.get("/api/trpc/session.whoami");
  expect(anonymous.status()).toBe(401);
  check(anonymous.headers());
  await signInAs(page, "ADMIN");
  const me = await page.request.get("/api/trpc/session.whoami");
  expect(me.status()).toBe(200);
  check(me.headers());
});

import { randomBytes } from "node:crypto";
import type { APIRequestContext, Page, Request } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, expect, test } from "../fixtures/auth";

/**
 * The sign-in form refuses a request sent from another site (CSRF), and limits attempts per
 * address + e-mail: the form says how long to wait, and a script posting to /api/auth gets 429.
 */

/** Submits the sign-in form and returns the server-action request the browser sent. */
async function captureSignInAction(page: Page, email: string, password: string): Promise<Request> {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  const sent = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
  await page.getByRole("button", { name: "Sign in" }).click();
  return sent;
}

/** Replays a captured server-action request from a cookie-less client, with another Origin. */
async function replay(api: APIRequestContext, action: Request, origin: string) {
  const headers: Record<string, string> = { ...action.headers(), origin };
  delete headers.cookie;
  return api.post(action.url(), { headers, data: action.postDataBuffer() ?? "", maxRedirects: 0 });
}

const sessionCookie = (setCookie: string | undefined) => /authjs\.session-token=[^;]/.test(setCookie ?? "");

test("the sign-in server action signs in from the portal's own origin and refuses another site's", async ({
  page,
  playwright,
  baseURL,
}) => {
  const action = await captureSignInAction(page, DEMO.ADMIN.email, DEMO_PASSWORD);
  await page.waitForURL(`**${DEMO.ADMIN.home}`);

  const api = await playwright.request.newContext({ baseURL });
  const same = await replay(api, action, new URL(baseURL ?? "").origin);
  expect(sessionCookie(same.headers()["set-cookie"]), "control: same origin signs in").toBe(true);
  const cross = await replay(api, action, "https://evil.example");
  expect(sessionCookie(cross.headers()["set-cookie"])).toBe(false);
  expect(cross.status()).not.toBe(200);
  await api.dispose();
});

test("after 10 attempts for one e-mail the form asks to wait, and the API answers 429 with Retry-After", async ({
  page,
}) => {
  const email = `nobody-${randomBytes(4).toString("hex")}@limit.test`;
  const attempt = async (password: string) => {
    const csrf = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    return page.request.post("/api/auth/callback/credentials", {
      form: { email, password, csrfToken: csrf.csrfToken },
      maxRedirects: 0,
    });
  };
  for (let i = 0; i < 10; i++) {
    const res = await attempt(`wrong password ${i}`);
    expect(res.status()).toBe(302);
    // An unknown e-mail "locks" at the fifth failure exactly as a real account does (no oracle).
    expect(res.headers().location).toContain(i < 4 ? "code=invalid" : "code=locked");
  }

  await captureSignInAction(page, email, "one more");
  await expect(page.getByText(/^Too many sign-in attempts for this e-mail from your network/)).toHaveText(
    /^Too many sign-in attempts for this e-mail from your network: try again in \d+ minutes\.$/,
  );

  const limited = await attempt("scripted");
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  expect(((await limited.json()) as { error: string }).error).toMatch(/^Too many sign-in attempts/);
});

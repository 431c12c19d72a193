import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { io as connect } from "socket.io-client";
import { DEMO, expect, signInAs, test } from "../fixtures/auth";

/**
 * The holes found by probing a running portal (issue #15), each tried again against the real
 * server: a kept cookie after sign-out, reads that wrote on a GET, forwarded headers from a client,
 * a 50 MB body, inputs that gave 500s, and a registration form that told who was registered.
 *
 * This folder runs after consent/ and hardening/ (Playwright orders files by path): its last test
 * uses up the registrations allowed from the test machine's address for an hour.
 */

type TCookie = { name: string; value: string };
const cookieHeader = (cookies: TCookie[]) => cookies.map((c) => `${c.name}=${c.value}`).join("; ");
const trpcGet = (path: string, input: unknown) =>
  `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

/** Whether socket.io accepts a handshake carrying these cookies. */
async function socketAccepted(baseURL: string, cookies: TCookie[]): Promise<boolean> {
  const socket = connect(baseURL, {
    path: "/socket.io",
    transports: ["websocket"],
    extraHeaders: { cookie: cookieHeader(cookies) },
    reconnection: false,
  });
  try {
    return await new Promise<boolean>((resolve) => {
      socket.once("session", () => resolve(true));
      socket.once("connect_error", () => resolve(false));
      setTimeout(() => resolve(false), 10_000);
    });
  } finally {
    socket.close();
  }
}

test("a cookie kept from before sign-out signs nobody in, on pages, the API and the socket", async ({
  page,
  playwright,
  baseURL,
}) => {
  await signInAs(page, "OPO_COORDINATOR");
  const kept = await page.context().cookies();
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { cookie: cookieHeader(kept) },
  });
  const whoami = () => api.get(trpcGet("session.whoami", undefined));
  expect((await whoami()).status(), "control: the cookie works before sign-out").toBe(200);
  expect(await socketAccepted(baseURL ?? "", kept), "control: the socket accepts it").toBe(true);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/opo"));

  const after = await whoami();
  expect(after.status()).toBe(401);
  expect(await socketAccepted(baseURL ?? "", kept)).toBe(false);
  const home = await api.get("/opo", { maxRedirects: 0 });
  expect(home.status(), "the workspace sends the kept cookie to sign in").toBeGreaterThanOrEqual(300);
  expect(home.status()).toBeLessThan(400);
  await api.dispose();
});

test("reads that record an access are POSTs from the portal's own pages", async ({
  page,
  playwright,
  baseURL,
}) => {
  await signInAs(page, "REGULATOR");
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { cookie: cookieHeader(await page.context().cookies()) },
  });
  const versionId = "00000000-0000-4000-8000-000000000000";
  // A link on another site (a top-level GET) can no longer write "record accessed".
  const get = await api.get(`/api/consent/fhir/${versionId}?reasonCode=CASE_REVIEW`);
  expect(get.status()).toBe(405);
  expect(get.headers().allow).toBe("POST");
  const cross = await api.post(`/api/consent/fhir/${versionId}`, {
    headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    form: { reasonCode: "CASE_REVIEW" },
  });
  expect(cross.status()).toBe(403);
  // tRPC: the export and the audit start are mutations, which tRPC never runs on a GET.
  const trpcExport = await api.get(trpcGet("consent.exportFhir", { consentVersionId: versionId }));
  expect(trpcExport.status()).toBe(405);
  const audit = await api.get(trpcGet("ledgerAudit.start", { runId: crypto.randomUUID() }));
  expect(audit.status()).toBe(405);
  await api.dispose();
});

test("X-Forwarded-Host from a client is not trusted: another site naming itself is still refused", async ({
  page,
  playwright,
  baseURL,
}) => {
  await signInAs(page, "COURIER");
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { cookie: cookieHeader(await page.context().cookies()) },
  });
  const forged = await api.post("/api/trpc/custody.recordEvent", {
    headers: {
      origin: "https://evil.example",
      "x-forwarded-host": "evil.example",
      "content-type": "application/json",
    },
    data: { json: {} },
  });
  expect(forged.status()).toBe(403);
  await api.dispose();
});

test("a body over the limit gets 413 without being read", async ({ baseURL }) => {
  // Declares 50 MB and sends none of it: the answer must come from the declared length alone
  // (a client still uploading would see the connection closed under it, as it should).
  const started = Date.now();
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      `${baseURL}/api/trpc/consent.register`,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(50 * 1024 * 1024) },
      },
      (res) => {
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.flushHeaders();
  });
  expect(answer.status).toBe(413);
  expect(JSON.parse(answer.body).error).toMatch(/larger than the portal accepts/);
  expect(Date.now() - started, "refused on its Content-Length, not after reading 50 MB").toBeLessThan(5_000);
});

test("inputs that gave 500s are 400s (or not found) naming the field", async ({
  page,
  playwright,
  baseURL,
}) => {
  await signInAs(page, "REGULATOR");
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { cookie: cookieHeader(await page.context().cookies()) },
  });
  const from = await api.get("/api/ledger/bundle?from=0000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z");
  expect(from.status()).toBe(400);
  expect((await from.json()).error).toMatch(/^from must be between 1900-01-01 and 9999-12-31/);
  const nul = await api.get("/api/ledger/bundle?subjectType=%00&subjectId=x");
  expect(nul.status()).toBe(400);
  expect((await nul.json()).error).toMatch(/^subjectType may not contain control characters/);

  const catchUp = await api.get(
    trpcGet("custody.catchUp", { since: { "00000000-0000-4000-8000-000000000000": 99_999_999_999 } }),
  );
  expect(catchUp.status()).toBe(400);
  expect((await catchUp.json()).error.json.message).toMatch(/since.*at most 2147483647/);

  const verify = await api.get("/verify/%E0%A4%A");
  expect(verify.status()).toBe(400);
  expect((await verify.json()).error).toMatch(/percent-encoding/);

  const label = await api.get("/organs/abc/label");
  expect(label.status()).toBe(404);
  await api.dispose();
});

test("registration says the same whether or not the e-mail or the person was registered; the form is limited", async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  /** Submits the no-JavaScript form as a browser would and returns the page it lands on. */
  async function register(fields: { email: string; identifier?: string }) {
    await page.goto("/register");
    await page.getByLabel("Full name").fill("Probe Person");
    await page.getByLabel("Date of birth").fill("1970-01-01");
    await page.getByLabel("National or health identifier").fill(fields.identifier ?? "9434765919");
    await page.getByLabel("E-mail (to sign in)").fill(fields.email);
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Register" }).click();
    // The notice after the redirect, or the form's own alert (refused by the limit).
    await expect
      .poll(
        async () =>
          new URL(page.url()).pathname === "/sign-in" ||
          (await page.locator('main [role="alert"]').count()) > 0,
        { timeout: 30_000 },
      )
      .toBe(true);
    await page.waitForLoadState();
    return { url: page.url(), text: (await page.locator("main").textContent()) ?? "" };
  }

  const taken = await register({ email: DEMO.DONOR.email });
  const fresh = await register({ email: `probe-${randomBytes(4).toString("hex")}@donor.test` });
  expect(taken.url, taken.text).toContain("/sign-in?registered=1");
  expect(taken).toEqual(fresh);
  expect(taken.text).not.toMatch(/already registered|exists/i);
  // The demo donor's password was not replaced by the probe's.
  await signInAs(page, "DONOR");

  // Posts beyond the limit from one address are refused, on the form as on the API.
  const api = await playwright.request.newContext({ baseURL });
  let refused = "";
  for (let i = 0; i < 12 && !refused; i++) {
    const r = await api.post("/api/trpc/consent.register", {
      headers: { "content-type": "application/json" },
      data: { json: { email: "not-an-email" } },
    });
    if (r.status() === 429) refused = (await r.json()).error.json.message;
  }
  expect(refused).toMatch(/^Too many registrations from your network/);
  await page.context().clearCookies();
  const form = await register({ email: `late-${randomBytes(4).toString("hex")}@donor.test` });
  expect(form.text).toMatch(/Too many registrations from your network/);
});

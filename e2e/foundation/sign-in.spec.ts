import { DEMO, expect, expectAccessible, signInAs, type TDemoRole, test } from "../fixtures/auth";

test("the signed-out landing page says what the portal is and is accessible", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Every donated organ");
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expectAccessible(page);
  await page.goto("/sign-in");
  await expectAccessible(page);
});

for (const role of Object.keys(DEMO) as TDemoRole[]) {
  test(`${role} signs in, lands on their page and connects to the live channel`, async ({ page }) => {
    await signInAs(page, role);
    await expect(page.getByTestId("signed-in-as")).toContainText(DEMO[role].name);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("workspace");
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "connected");
    await expectAccessible(page);
  });
}

test("a wrong password gets a clear message and no session", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(DEMO.COURIER.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong e-mail or password.");
  await page.goto("/courier");
  // Not signed in: sent to sign in, which then returns to the page asked for.
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fcourier$/);
});

test("an empty form names the fields", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter a valid e-mail address")).toBeVisible();
  await expect(page.getByText("Enter your password")).toBeVisible();
});

test("tRPC refuses an unauthenticated call with 401 and a wrong-role call with 403", async ({
  page,
  request,
}) => {
  const anonymous = await request.get("/api/trpc/session.whoami");
  expect(anonymous.status()).toBe(401);

  await signInAs(page, "DONOR");
  const wrongRole = await page.request.get("/api/trpc/admin.listUsers");
  expect(wrongRole.status()).toBe(403);
  const own = await page.request.get("/api/trpc/session.whoami");
  expect(own.status()).toBe(200);
  expect(JSON.stringify(await own.json())).toContain(DEMO.DONOR.email);
});

test("a role's page is refused to another role", async ({ page }) => {
  await signInAs(page, "COURIER");
  const response = await page.goto("/regulator");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not for your role" })).toBeVisible();
});

test("the admin sees users through tRPC and TanStack Query", async ({ page }) => {
  await signInAs(page, "ADMIN");
  await expect(
    page.getByRole("tabpanel", { name: "Users" }).getByText(/^regulator@demo\.test · Regulator/),
  ).toBeVisible();
});

test("/api/health reports database, chain and socket", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.database.ok).toBe(true);
  expect(body.chain.ok).toBe(true);
  expect(body.chain.chainId).toBe("31337");
  expect(body.chain.contractAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
  expect(body.socket.ok).toBe(true);
});

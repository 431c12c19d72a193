import { createAllocatedOrgan } from "../../test/factories/portal-db";
import {
  DEMO,
  DEMO_PASSWORD,
  expect,
  expectAccessible,
  signInAs,
  type TDemoRole,
  test,
} from "../fixtures/auth";

async function fillSignIn(page: import("@playwright/test").Page, email: string) {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a deep link survives sign-in: the page asked for opens after signing in", async ({ page }) => {
  const organ = await createAllocatedOrgan();
  await page.goto(`/opo/cases/${organ.caseId}`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await fillSignIn(page, DEMO.OPO_COORDINATOR.email);
  await page.waitForURL(`**/opo/cases/${organ.caseId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Case", { timeout: 30_000 });
});

test("sign-in never redirects off the portal, whatever `next` says", async ({ browser, baseURL }) => {
  for (const next of ["https://evil.example/", "//evil.example/"]) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
    await fillSignIn(page, DEMO.OPO_COORDINATOR.email);
    await page.waitForURL("**/opo");
    expect(new URL(page.url()).origin).toBe(new URL(baseURL as string).origin);
    await page.context().close();
  }
});

const MENU: Record<TDemoRole, string[]> = {
  DONOR: ["My decision", "Verify a receipt"],
  OPO_COORDINATOR: ["Organs in flight", "Donor cases", "Donor registry", "Scan a label"],
  CENTER_COORDINATOR: ["Organs in flight", "Offers", "Waiting list", "Scan a label"],
  COURIER: ["Organs in your care", "Scan a label"],
  REGULATOR: ["Overview", "Organs", "Allocations", "Ledger audit", "Access log", "Reports"],
  ADMIN: ["Users and organisations", "Organs", "Allocations", "Ledger audit", "Access log", "Reports"],
};

for (const role of Object.keys(MENU) as TDemoRole[]) {
  test(`${role}: the menu offers the role's pages and marks the current one`, async ({ page }) => {
    test.setTimeout(150_000);
    await signInAs(page, role);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText(MENU[role]);
    await expect(nav.getByRole("link", { name: MENU[role][0] })).toHaveAttribute("aria-current", "page");
    await expectAccessible(page);
  });
}

test("the OPO reaches the scan page from the menu; a fresh organ starts on cross-clamp", async ({ page }) => {
  const organ = await createAllocatedOrgan();
  await signInAs(page, "OPO_COORDINATOR");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Scan a label" }).click();
  await page.waitForURL("**/organs/scan");
  await page.getByLabel("Donation Identification Number").fill(organ.din);
  await page.getByRole("button", { name: "Open organ" }).click();
  await expect(page.getByTestId("scanned-organ")).toBeVisible();
  await expect(page.getByLabel("Step", { exact: true })).toHaveValue("CROSS_CLAMP");
  await expect(page.getByLabel("Step", { exact: true }).locator("option:checked")).toHaveText("Cross-clamp");
});

test("case, organ and custody pages link to each other", async ({ page }) => {
  const organ = await createAllocatedOrgan();
  await signInAs(page, "OPO_COORDINATOR");
  await page.goto(`/opo/cases/${organ.caseId}`);
  await page.getByTestId("organ-KIDNEY").getByRole("link", { name: "Custody journey" }).click();
  await page.waitForURL(`**/organs/${organ.organId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(organ.din);
  await page.getByTestId("organ-links").getByRole("link", { name: "Donor case and offers" }).click();
  await page.waitForURL(`**/opo/cases/${organ.caseId}`);
  await expectAccessible(page);
});

test("a regulator goes from the custody journey to provenance and back", async ({ page }) => {
  const organ = await createAllocatedOrgan();
  await signInAs(page, "REGULATOR");
  await page.goto(`/organs/${organ.organId}`);
  await page.getByRole("link", { name: "Provenance, checked against the chain" }).click();
  await page.waitForURL(`**/regulator/organs/${organ.organId}`);
  await page.getByRole("link", { name: "Custody journey" }).click();
  await page.waitForURL(`**/organs/${organ.organId}`);
});

test("the 'not for your role' page has one main landmark", async ({ page }) => {
  await signInAs(page, "COURIER");
  await page.goto("/regulator");
  await expect(page.getByRole("heading", { name: "Not for your role" })).toBeVisible();
  await expect(page.locator("main")).toHaveCount(1);
  await expectAccessible(page);
});

test.describe("on a 390 px phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the menu opens as a panel, navigates and closes", async ({ page }) => {
    await signInAs(page, "CENTER_COORDINATOR");
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await page.getByRole("button", { name: "Menu" }).click();
    const panel = page.getByRole("dialog", { name: "Menu" });
    await expect(panel).toBeVisible();
    await expect(panel).toContainText(DEMO.CENTER_COORDINATOR.name);
    await expectAccessible(page);
    await panel.getByRole("link", { name: "Waiting list" }).click();
    await page.waitForURL("**/center/waitlist");
    await expect(panel).toBeHidden();
    await page.getByRole("button", { name: "Menu" }).click();
    await expect(panel.getByRole("link", { name: "Waiting list" })).toHaveAttribute("aria-current", "page");
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
  });
});

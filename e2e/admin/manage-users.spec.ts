import { randomUUID } from "node:crypto";
import { DEMO_PASSWORD, expect, expectAccessible, signInAs, test } from "../fixtures/auth";

test("an administrator adds a staff account and deactivates it; the account can no longer sign in", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  await signInAs(page, "ADMIN");
  const email = `courier-${randomUUID().slice(0, 8)}@admin-e2e.test`;
  const form = page.getByRole("form", { name: "Add a staff account" });
  await form.getByLabel("Name").fill("Jo Mensah");
  await form.getByLabel("E-mail").fill(email);
  await form.getByLabel("Role").selectOption("COURIER");
  // A courier in a transplant centre is refused by name.
  await form.getByLabel("Organisation").selectOption({ label: "St Mary's Transplant Centre" });
  await form.getByLabel("First password").fill(DEMO_PASSWORD);
  await form.getByRole("button", { name: "Add the account" }).click();
  await expect(form.getByText(/must belong to an organisation of kind COURIER_SERVICE/)).toBeVisible();
  await form.getByLabel("Organisation").selectOption({ label: "SwiftMed Couriers" });
  await form.getByRole("button", { name: "Add the account" }).click();
  await expect(form.getByRole("status")).toHaveText("Account added.");
  const row = page.locator(`[data-testid="user"][data-email="${email}"]`);
  await expect(row).toContainText("Courier · SwiftMed Couriers");
  await expectAccessible(page);

  await row.getByRole("button", { name: "Deactivate Jo Mensah" }).click();
  const dialog = page.getByRole("dialog", { name: "Deactivate Jo Mensah?" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await dialog.getByLabel("Reason").selectOption("LEFT_ORGANISATION");
  await dialog.getByRole("button", { name: "Deactivate the account" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("deactivated");

  const other = await (await browser.newContext()).newPage();
  await other.goto("/sign-in");
  await other.getByLabel("E-mail").fill(email);
  await other.getByLabel("Password").fill(DEMO_PASSWORD);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByText("This account has been deactivated")).toBeVisible();
  await expect(other).toHaveURL(/\/sign-in/);

  await page.getByRole("tab", { name: "Organisations" }).click();
  await expect(page.getByTestId("organisation").first()).toBeVisible();
  await expectAccessible(page);
});

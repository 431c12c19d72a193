import { randomBytes } from "node:crypto";
import { expect, expectAccessible, test } from "../fixtures/auth";

/** A valid NHS number (mod 11 check digit), new for every run. */
function nhsNumber(): string {
  for (;;) {
    const d = [...randomBytes(9)].map((b) => b % 10);
    const sum = d.reduce((acc, n, i) => acc + n * (10 - i), 0);
    const c = 11 - (sum % 11) === 11 ? 0 : 11 - (sum % 11);
    if (c !== 10) return [...d, c].join("");
  }
}

test("the change form starts from the decision in force, and a revocation gets its own receipt", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const tag = randomBytes(4).toString("hex");
  await page.goto("/register");
  await page.getByLabel("Full name").fill(`Ada Mensah ${tag}`);
  await page.getByLabel("Date of birth").fill("1984-03-09");
  await page.getByLabel("National or health identifier").fill(nhsNumber());
  await page.getByLabel("E-mail (to sign in)").fill(`ada-${tag}@donor.test`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Register" }).click();
  // Registration answers everyone alike and sends them to sign in.
  await page.waitForURL("**/sign-in?registered=1");
  await page.getByLabel("E-mail").fill(`ada-${tag}@donor.test`);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/donor");

  // Version 1: kidneys only, for transplant, with a restriction.
  await page.getByLabel("Donate only the organs and tissues I choose").check();
  await page.getByLabel("Kidneys").check();
  await page.getByLabel("Restrictions (optional)").fill("Not for research abroad");
  await page.getByRole("button", { name: "Save decision" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 1" })).toBeVisible();

  // After a reload the form shows that decision, not "donate all".
  await page.reload();
  const form = page.getByRole("form", { name: "Your decision" });
  await expect(form.getByTestId("form-starts-from")).toContainText("version 1");
  await expect(form.getByLabel("Donate only the organs and tissues I choose")).toBeChecked();
  await expect(form.getByLabel("Donate all organs and tissues")).not.toBeChecked();
  await expect(form.getByLabel("Kidneys")).toBeChecked();
  await expect(form.getByLabel("Liver")).not.toBeChecked();
  await expect(form.getByLabel("Restrictions (optional)")).toHaveValue("Not for research abroad");
  await expectAccessible(page);

  // Ticking one more box and saving adds exactly that organ; nothing else broadens.
  await form.getByLabel("Liver").check();
  await form.getByRole("button", { name: "Save decision" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 2" })).toBeVisible();
  const current = page.getByTestId("current-decision");
  await expect(current).toContainText("Kidneys, Liver");
  await expect(current).toContainText("Not for research abroad");
  await expect(current).not.toContainText("all organs");

  // Revoking gives a receipt of the revocation, with its ledger event.
  await page.getByRole("button", { name: "Revoke my decision" }).click();
  await page.getByRole("button", { name: "Yes, revoke" }).click();
  const done = page.getByTestId("revocation-done");
  await expect(done).toContainText("Version 2 revoked");
  await done.getByRole("link", { name: "Your revocation receipt" }).click();
  const receipt = page.getByTestId("revocation-receipt");
  await expect(receipt).toContainText("Receipt of revocation");
  await expect(receipt).toContainText("You revoked version 2 on");
  await expect(receipt).toContainText(/UTC/);
  await expect(receipt.getByRole("link")).toHaveAttribute("href", /^\/proof\/[0-9a-f-]{36}$/);
  await expectAccessible(page);
  await page.goto("/donor");
  await expect(page.getByTestId("version-2").getByRole("link", { name: "revocation receipt" })).toBeVisible();
});

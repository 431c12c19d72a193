import { randomBytes } from "node:crypto";
import { withClient } from "../../test/factories/portal-db";
import { expect, expectAccessible, signInAs, test } from "../fixtures/auth";
import { addVirtualAuthenticator, enrolPasskey, signWithPasskey } from "../fixtures/passkey";

/** A valid NHS number (mod 11 check digit), new for every run. */
function nhsNumber(): string {
  for (;;) {
    const d = [...randomBytes(9)].map((b) => b % 10);
    const sum = d.reduce((acc, n, i) => acc + n * (10 - i), 0);
    const c = 11 - (sum % 11) === 11 ? 0 : 11 - (sum % 11);
    if (c !== 10) return [...d, c].join("");
  }
}

test("a donor signs their consent decision, its change and its revocation with a passkey; the regulator's registrant history shows who signed, when and what it means", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const tag = randomBytes(4).toString("hex");
  const person = {
    email: `signer-${tag}@donor.test`,
    password: "correct horse battery",
    name: `Ada Signer ${tag}`,
  };
  const context = await browser.newContext();
  const page = await context.newPage();
  const key = await addVirtualAuthenticator(context, page);

  await page.goto("/register");
  await page.getByLabel("Full name").fill(person.name);
  await page.getByLabel("Date of birth").fill("1981-04-04");
  await page.getByLabel("National or health identifier").fill(nhsNumber());
  await page.getByLabel("E-mail (to sign in)").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Register" }).click();
  await page.waitForURL("**/sign-in?registered=1");
  await page.getByLabel("E-mail").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/donor");
  await enrolPasskey(page);

  // Decide, sign; change, sign; revoke, sign.
  await page.goto("/donor");
  await page.getByLabel("Donate all organs and tissues").check();
  await page.getByRole("button", { name: "Save decision" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 1" })).toBeVisible();
  await signWithPasskey(page, "recorded consent decision");
  await page.getByLabel("Donate only the organs and tissues I choose").check();
  await page.getByLabel("Kidneys").check();
  await page.getByRole("button", { name: "Save decision" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 2" })).toBeVisible();
  await signWithPasskey(page, "changed consent decision");
  await page.getByRole("button", { name: "Revoke my decision" }).click();
  await page.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(page.getByTestId("current-decision")).toContainText("You revoked your decision");
  await signWithPasskey(page, "revoked consent");
  await expectAccessible(page);
  expect((await key.credentials())[0]?.signCount).toBeGreaterThanOrEqual(3);

  // The regulator's view of the registrant: each decision with its signer, time and meaning.
  const donorId = await withClient(async (c) => {
    const r = await c.query<{ id: string }>(
      `SELECT d.id FROM "Donor" d JOIN "User" u ON u.id = d."userId" WHERE u.email = $1`,
      [person.email],
    );
    return r.rows[0]?.id as string;
  });
  const regulator = await (await browser.newContext()).newPage();
  await signInAs(regulator, "REGULATOR");
  await regulator.goto(`/regulator/registrants/${donorId}`);
  const signed = regulator.locator('[data-testid="step-signature"][data-status="SIGNED"]');
  await expect(signed).toHaveCount(3);
  const time = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC`;
  for (const meaning of ["recorded consent decision", "changed consent decision", "revoked consent"]) {
    const line = signed.filter({ hasText: new RegExp(`${time}: ${meaning}$`) });
    await expect(line).toHaveCount(1);
    // The account's display name: the person's name lives only in the encrypted identity.
    await expect(line).toContainText("Signed with a passkey by Registered donor");
  }
  await expectAccessible(regulator);
});

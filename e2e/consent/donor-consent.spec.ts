import { randomBytes } from "node:crypto";
import { withClient } from "../../test/factories/portal-db";
import { expect, expectAccessible, signInAs, test } from "../fixtures/auth";

/** A valid NHS number (mod 11 check digit), new for every run. */
function nhsNumber(): string {
  for (;;) {
    const d = [...randomBytes(9)].map((b) => b % 10);
    const sum = d.reduce((acc, n, i) => acc + n * (10 - i), 0);
    const c = 11 - (sum % 11) === 11 ? 0 : 11 - (sum % 11);
    if (c !== 10) return [...d, c].join("");
  }
}

test("a donor registers, consents, changes, revokes, prints a receipt that verifies publicly; a coordinator's search shows in their access history; erasure leaves nothing readable", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const tag = randomBytes(4).toString("hex");
  const person = {
    fullName: `Grace Okafor ${tag}`,
    dateOfBirth: "1979-11-02",
    nhs: nhsNumber(),
    email: `grace-${tag}@donor.test`,
    password: "correct horse battery",
  };

  // Registration, with per-field messages first.
  await page.goto("/register");
  await expectAccessible(page);
  await page.getByLabel("Full name").fill(person.fullName);
  await page.getByLabel("Date of birth").fill("2099-01-01");
  await page.getByLabel("National or health identifier").fill("1234567890");
  await page.getByLabel("E-mail (to sign in)").fill(person.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByText("the date of birth cannot be in the future")).toBeVisible();
  await expect(page.getByText("this is not a valid NHS number (check digit does not match)")).toBeVisible();
  await expect(page.getByText("the password needs at least 12 characters")).toBeVisible();
  await page.getByLabel("Date of birth").fill(person.dateOfBirth);
  await page.getByLabel("National or health identifier").fill(person.nhs);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Register" }).click();
  // Every registration gets the same notice (nothing tells whether the details were new), then sign-in.
  await page.waitForURL("**/sign-in?registered=1");
  await expect(page.getByRole("status")).toContainText("If these details were not registered before");
  await page.getByLabel("E-mail").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/donor");
  await expect(page.getByText(`Registered as ${person.fullName}`)).toBeVisible();

  // Record: selected organs with no organ chosen is refused, naming the field.
  await page.getByLabel("Donate only the organs and tissues I choose").check();
  await page.getByRole("button", { name: "Save decision" }).click();
  await expect(page.getByText("choose at least one organ or tissue to donate").first()).toBeVisible();
  await page.getByLabel("Kidneys").check();
  await page.getByLabel("Liver").check();
  await page.getByRole("button", { name: "Save decision" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 1" })).toBeVisible();
  // A donor with no passkey acts all the same; the decision says it was not signed with one.
  await expect(page.getByTestId("signature-outcome")).toHaveAttribute("data-status", "NOT_SIGNED");
  await expect(page.getByTestId("current-decision")).toContainText("Kidneys, Liver");
  const receipt1 =
    (await page.getByTestId("version-1").getByRole("link").first().textContent())?.trim() ?? "";
  expect(receipt1).toMatch(/^[0-9A-Z]{10}$/);

  // Change, then revoke.
  await page.getByLabel("Donate all organs and tissues").check();
  await page.getByLabel("Research").check();
  await page.getByRole("button", { name: "Save decision" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 2" })).toBeVisible();
  await expect(page.getByTestId("version-1")).toContainText("superseded");
  await page.getByRole("button", { name: "Revoke my decision" }).click();
  await page.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(page.getByTestId("current-decision")).toContainText("You revoked your decision");
  await expect(page.getByTestId("version-2")).toContainText("revoked");
  await expectAccessible(page);

  // The version as a FHIR R4 Consent: the donor downloads their own with a plain link (no reason).
  const fhirHref = await page
    .getByTestId("version-1")
    .getByRole("link", { name: "FHIR" })
    .getAttribute("href");
  const fhir = await page.request.get(fhirHref ?? "");
  expect(fhir.status()).toBe(200);
  expect(fhir.headers()["content-type"]).toBe("application/fhir+json; fhirVersion=4.0");
  expect((await fhir.json()).resourceType).toBe("Consent");

  // The receipt: printable page with a QR code, and a PDF.
  await page.getByTestId("version-1").getByRole("link", { name: receipt1 }).click();
  await expect(page.getByTestId("receipt-decision")).toContainText("Kidneys, Liver");
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  await expectAccessible(page);
  const pdf = await page.request.get(`/api/consent/receipt/${receipt1}`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  const notACode = await page.request.get("/api/consent/receipt/not-a-receipt-code");
  expect([notACode.status(), await notACode.json()]).toEqual([404, { error: "No such receipt." }]);

  // Anyone can verify it, without an account: no content, and once anchored the chain agrees.
  const stranger = await browser.newContext();
  const anon = await stranger.newPage();
  await anon.goto(`/verify/${receipt1.toLowerCase()}`);
  await expect(anon.getByTestId("receipt-status")).toHaveText("Superseded by a later version");
  await expect(anon.getByTestId("check-commitment on ledger")).toHaveText("pass");
  await expect(anon.getByTestId("check-event hash")).toHaveText("pass");
  await expect(anon.getByTestId("verified-decision")).toHaveCount(0);
  await expect(async () => {
    await anon.reload();
    await expect(anon.getByTestId("check-anchored")).toHaveText("pass", { timeout: 1000 });
    await expect(anon.getByTestId("check-on-chain proof")).toHaveText("pass", { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await expectAccessible(anon);
  // The owner also sees that their decision opens the commitment.
  await page.goto(`/verify/${receipt1}`);
  await expect(page.getByTestId("check-your decision matches")).toHaveText("pass");
  await expect(page.getByTestId("verified-decision")).toContainText("Kidneys, Liver");

  // A coordinator looks the donor up, with a reason; the donor sees it.
  const staff = await browser.newContext();
  const opo = await staff.newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  await opo.goto("/opo/registry");
  await opo.locator("#search-identifier").fill(person.nhs);
  await opo.locator("#search-dob").fill(person.dateOfBirth);
  await opo.getByRole("button", { name: "Search the registry" }).click();
  await expect(opo.getByText("explain why you need this record (3 characters at least)")).toBeVisible();
  await opo.getByLabel("Why you need this record").fill(`Referral ${tag} from ICU`);
  await opo.getByRole("button", { name: "Search the registry" }).click();
  await expect(opo.getByTestId("search-result")).toContainText(
    "no decision is in force (the decision was revoked)",
  );
  await expectAccessible(opo);
  await page.goto("/donor");
  await expect(page.getByTestId("access-history")).toContainText(`Referral ${tag} from ICU`);
  await expect(page.getByTestId("access-history")).toContainText("Omar Patel");

  // Erasure: account gone, receipt says erased, nothing readable left in the database.
  await page.getByLabel("Type ERASE to confirm").fill("ERASE");
  await page.getByRole("button", { name: "Delete my registration" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await anon.goto(`/verify/${receipt1}`);
  await expect(anon.getByTestId("receipt-status")).toContainText("Erased");
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong e-mail or password.")).toBeVisible();
  const leftovers = await withClient(async (client) => {
    const tables = await client.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    const found: string[] = [];
    for (const { table_name } of tables.rows as Array<{ table_name: string }>) {
      const dump = JSON.stringify((await client.query(`SELECT * FROM "${table_name}"`)).rows);
      for (const secret of [person.fullName, person.nhs, person.email]) {
        if (dump.includes(secret)) found.push(`${table_name}: ${secret}`);
      }
    }
    return found;
  });
  expect(leftovers).toEqual([]);
  await stranger.close();
  await staff.close();
});

import { readFileSync } from "node:fs";
import { expect, expectAccessible, signInAs, test } from "../fixtures/auth";

test("a regulator follows a ledger event to its on-chain proof and downloads its audit bundle", async ({
  page,
}) => {
  await signInAs(page, "REGULATOR");
  // Other tests may have recorded many events since the seed: show donor case openings only.
  await page.getByLabel("Event type").selectOption("donor_case.opened");
  const first = page.getByTestId("ledger-event").filter({ hasText: "donor_case.opened" }).first();
  await expect(first).toBeVisible();
  // The demo's donor cases were opened through the ledger; the worker anchors them within seconds.
  await expect(first.getByTestId("anchor-status")).toContainText("confirmed", { timeout: 30_000 });
  await expectAccessible(page);

  const download = page.waitForEvent("download");
  await first.getByRole("link", { name: /Download/ }).click();
  const bundle = JSON.parse(readFileSync(await (await download).path(), "utf8"));
  expect(bundle.format).toBe("transplant-portal/audit-bundle");
  expect(bundle.chain.contract).toMatch(/^0x[0-9a-fA-F]{40}$/);
  expect(bundle.events[0].anchor.proof).toBeInstanceOf(Array);
  // Hashes and roots only: nothing personal travels in a bundle of a donor case.
  expect(JSON.stringify(bundle)).not.toMatch(/Dana|Whitfield|@demo\.test/);

  await first.getByRole("link", { name: /donor_case\.opened/ }).click();
  await expect(page.getByRole("heading", { name: "Ledger event proof" })).toBeVisible();
  for (const check of ["hash", "chain link", "anchored", "on-chain proof"]) {
    await expect(page.getByTestId(`check-${check}`)).toHaveText("pass");
  }
  await expectAccessible(page);
});

test("the proof page is public, and an unknown event is a clear 404", async ({ page, request }) => {
  const res = await request.get("/proof/00000000-0000-4000-8000-000000000000");
  expect(res.status()).toBe(404);
  const bundle = await request.get("/api/ledger/bundle?subjectType=organ&subjectId=x");
  expect(bundle.status()).toBe(401);
  await page.goto("/proof/not-a-uuid");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

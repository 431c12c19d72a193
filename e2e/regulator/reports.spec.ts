import { randomBytes } from "node:crypto";
import { DEMO, expect, signInAs, test } from "../fixtures/auth";

test("a regulator reads the five report charts, downloads a CSV and filters the personal-data access log", async ({
  browser,
  page,
}) => {
  test.setTimeout(120_000);
  // A coordinator's registry search (nobody found) is an access with a reason.
  const note = `e2e report check ${randomBytes(4).toString("hex")}`;
  const opoContext = await browser.newContext();
  const opo = await opoContext.newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  const res = await opo.request.post("/api/trpc/consent.search", {
    data: {
      json: {
        identifier: { scheme: "GENERIC", value: `E2E${randomBytes(5).toString("hex").toUpperCase()}` },
        dateOfBirth: "1970-01-01",
        reasonCode: "CASE_REVIEW",
        reasonNote: note,
      },
    },
  });
  expect(res.status(), await res.text()).toBe(200);
  await opoContext.close();

  await signInAs(page, "REGULATOR");
  await page
    .getByRole("main")
    .getByRole("link", { name: /^Reports/ })
    .click();
  await expect(page.getByRole("heading", { name: "Reports", level: 1 })).toBeVisible();
  for (const title of [
    "Cold ischemia time against the limit",
    "Discards by reason",
    "Offer response times and expiries",
    "Organs in transit",
    "Consent registrations and revocations",
  ]) {
    const card = page
      .locator("section")
      .filter({ has: page.getByRole("heading", { name: title, level: 2 }) });
    await expect(card.locator("svg.recharts-surface").first()).toBeVisible();
  }
  // One chart per organ type for ischemia, then one each for the other four reports.
  await expect(page.getByTestId("report-chart")).toHaveCount(10);

  const download = page.waitForEvent("download");
  await page.getByTestId("csv-offers").click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^offers-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await (await file.createReadStream()).toArray();
  expect(Buffer.concat(csv).toString("utf8").split("\r\n")[0]).toBe("responseTime,accepted,refused,expired");

  await page.goto("/regulator");
  await page.getByRole("link", { name: "Personal-data access log" }).click();
  await expect(page.getByRole("heading", { name: "Personal-data access log" })).toBeVisible();
  await page
    .locator('select[name="staff"]')
    .selectOption({ label: `${DEMO.OPO_COORDINATOR.name} (${DEMO.OPO_COORDINATOR.email})` });
  await page.locator('select[name="reason"]').selectOption("CASE_REVIEW");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/reason=CASE_REVIEW/);
  const rows = page.getByTestId("access-log-row");
  await expect(rows.filter({ hasText: note })).toHaveCount(1);
  for (const text of await rows.allInnerTexts()) {
    expect(text).toContain(DEMO.OPO_COORDINATOR.name);
    expect(text).toContain("CASE_REVIEW");
  }
  // A reason nobody gave today narrows it to nothing.
  await page.locator('select[name="reason"]').selectOption("REGULATORY_AUDIT");
  await page.locator('input[name="from"]').fill("2001-01-01");
  await page.locator('input[name="to"]').fill("2001-01-02");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("access-log-empty")).toBeVisible();
});

test("reports and FHIR exports are for regulators only: 401 without a session, 403 for other roles", async ({
  browser,
  request,
}) => {
  const organId = "00000000-0000-4000-8000-000000000000";
  const urls = ["/api/reports/offers", `/api/regulator/fhir/organ/${organId}`];
  for (const url of urls) expect([url, (await request.get(url)).status()]).toEqual([url, 401]);
  const centre = await (await browser.newContext()).newPage();
  await signInAs(centre, "CENTER_COORDINATOR");
  for (const url of urls) expect([url, (await centre.request.get(url)).status()]).toEqual([url, 403]);
  // A regulator asking for a report that is not one, or a period that is no date, is told which.
  const regulator = await (await browser.newContext()).newPage();
  await signInAs(regulator, "REGULATOR");
  const unknown = await regulator.request.get("/api/reports/nope?from=x");
  expect([unknown.status(), (await unknown.json()).error]).toEqual([
    404,
    "No such report; choose one of cold-ischemia, discards, offers, transit, consent, excursions.",
  ]);
  const badDate = await regulator.request.get("/api/reports/offers?from=x");
  expect([badDate.status(), (await badDate.json()).error]).toEqual([
    400,
    "from: from must be a date (YYYY-MM-DD)",
  ]);
});

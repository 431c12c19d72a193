import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, expectAccessible, signInAs, test } from "../fixtures/auth";

// The donor's typing; the centre's kidney candidate shares it (a zero-antigen mismatch).
const DONOR_HLA = { A: "A1, A3", B: "B7, B8", C: "", DR: "DR15, DR17", DQ: "" };

/** Lists a candidate through the centre's waiting-list form; returns the code it was given. */
async function listCandidate(page: Page, organ: "KIDNEY" | "LIVER", fill: (form: Page) => Promise<void>) {
  const form = page.getByRole("form", { name: "Add a candidate" });
  await fillCommon(page, organ);
  await fill(page);
  await form.getByRole("button", { name: "Add to the waiting list" }).click();
  const status = page.getByRole("status").filter({ hasText: "Listed as" });
  await expect(status).toBeVisible();
  const code = (await status.textContent())?.match(/Listed as (\S+)\./)?.[1];
  expect(code).toBeTruthy();
  await page.reload();
  return code as string;
}

async function fillCommon(page: Page, organ: "KIDNEY" | "LIVER") {
  const form = page.getByRole("form", { name: "Add a candidate" });
  await form.getByLabel("Organ needed").selectOption(organ);
  await form.getByLabel("Blood group").selectOption("A");
  await form.getByLabel("Date of birth").fill("1972-08-14");
  await form.getByLabel("Listed on").fill("2019-02-01");
  await form.getByLabel("Height (cm)").fill("172");
  await form.getByLabel("Weight (kg)").fill("74");
}

test("an OPO opens a case, matches a kidney and a liver and offers; the centre sees each offer live and accepts; a regulator's replay is identical", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  // The centre lists a kidney candidate (zero mismatch with the donor) and an urgent liver candidate.
  const centre = await (await browser.newContext()).newPage();
  await signInAs(centre, "CENTER_COORDINATOR");
  await centre.goto("/center/waitlist");
  const form = centre.getByRole("form", { name: "Add a candidate" });

  // Bad input is refused with the field and the rule, and nothing is listed.
  await fillCommon(centre, "KIDNEY");
  await form.getByLabel("HLA-A").fill("A1, A999");
  await form.getByRole("button", { name: "Add to the waiting list" }).click();
  await expect(form.getByText('HLA-A: Unknown HLA antigen "A999"')).toBeVisible();
  await expect(centre.getByRole("status").filter({ hasText: "Listed as" })).toHaveCount(0);

  const kidneyCode = await listCandidate(centre, "KIDNEY", async () => {
    for (const [locus, v] of Object.entries(DONOR_HLA)) await form.getByLabel(`HLA-${locus}`).fill(v);
    await form.getByLabel("Dialysis started").fill("2016-05-01");
  });
  const liverCode = await listCandidate(centre, "LIVER", async () => {
    await form.getByLabel("HLA-A").fill("A2");
    await form.getByLabel("HLA-B").fill("B44");
    await form.getByLabel("HLA-DR").fill("DR4");
    await form.getByLabel("Bilirubin (mg/dL)").fill("32");
    await form.getByLabel("Sodium (mmol/L)").fill("126");
    await form.getByLabel("INR").fill("4.1");
    await form.getByLabel("Creatinine (mg/dL)").fill("3.2");
    await form.getByLabel("Albumin (g/dL)").fill("2.1");
    await form.getByLabel("High urgency (status 1A / HU)").check();
  });
  await expect(centre.getByTestId("waitlist")).toContainText(kidneyCode);
  await expect(centre.getByTestId("waitlist")).toContainText(liverCode);

  // The centre coordinator watches the offers page; a marker shows the page is never reloaded.
  await centre.goto("/center/offers");
  await expect(centre.getByTestId("offers-live")).toHaveAttribute("data-state", "connected");
  await centre.evaluate(() => {
    (window as unknown as { __notReloaded: boolean }).__notReloaded = true;
  });

  // The OPO records the family's authorisation, then opens the case on its receipt.
  const opo = await (await browser.newContext()).newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  await opo.goto("/opo/registry");
  await opo.getByLabel("Person's full name").fill("Never Registered Person");
  await opo.locator("#fa-scheme").selectOption("GENERIC");
  await opo.locator("#fa-identifier").fill(`E2E${randomBytes(4).toString("hex").toUpperCase()}`);
  await opo.locator("#fa-dob").fill("1979-03-03");
  await opo.getByLabel("Donate all").check();
  await opo.getByLabel("Authorised by (name)").fill("Sam Kin");
  await opo.getByLabel("Witness").fill("Ward Nurse");
  await opo
    .getByLabel("Restrictions the family set (optional)")
    .fill("No transplant to a recipient under 18.");
  await opo.getByRole("button", { name: "Record authorisation" }).click();
  const recorded = opo.getByRole("status").filter({ hasText: "Family authorisation recorded" });
  await expect(recorded).toBeVisible();
  const receipt = (await recorded.textContent())?.match(/receipt ([A-Z0-9]+)\./)?.[1] as string;
  expect(receipt).toBeTruthy();

  await opo.goto("/opo/cases");
  const open = opo.getByRole("form", { name: "Open a donor case" });
  await open.getByLabel("Referring hospital").fill("Lakeside General");
  await open.getByLabel("Consent receipt code").fill(receipt);
  await open.getByLabel("Donor blood group").selectOption("A");
  await open.getByLabel("Age (years)").fill("38");
  await open.getByLabel("Height (cm)").fill("178");
  await open.getByLabel("Weight (kg)").fill("80");
  await open.getByLabel("Creatinine (mg/dL)").fill("0.9");
  for (const [locus, v] of Object.entries(DONOR_HLA)) await open.getByLabel(`HLA-${locus}`).fill(v);
  await open.getByLabel("Right kidney").uncheck();
  await open.getByLabel("Liver").check();
  await open.getByRole("button", { name: "Open the case" }).click();
  await opo.waitForURL(/\/opo\/cases\/[0-9a-f-]{36}$/);
  await expect(opo.getByTestId("offers-live")).toHaveAttribute("data-state", "connected");
  // The family's restriction reaches the case, and below the centre's offer.
  await expect(opo.getByTestId("consent-restrictions")).toContainText(
    "No transplant to a recipient under 18.",
  );

  const allocate = async (organ: "KIDNEY" | "LIVER", candidateCode: string, tier: string) => {
    const section = opo.getByTestId(`organ-${organ}`);
    await section.getByRole("button", { name: "Run the match" }).click();
    const first = section.locator('[data-testid="ranked-row"][data-rank="1"]');
    await expect(first).toContainText(candidateCode);
    await expect(first).toContainText(tier);
    // "Why here": the score's breakdown, attribute by attribute.
    await first.getByRole("button", { name: "show" }).click();
    await expect(section.getByRole("table", { name: `Score breakdown for ${candidateCode}` })).toBeVisible();
    await section.getByRole("button", { name: "Send next offers" }).click();
    await expect(first.getByTestId("offer-status")).toHaveText("pending");

    // The centre sees the offer without reloading, and accepts it.
    const offer = centre.getByTestId("offer").filter({ hasText: candidateCode });
    await expect(offer).toBeVisible();
    await expect(offer.getByTestId("countdown")).toContainText("left");
    // It is announced (screen readers, tab title) without anyone looking at the list.
    await expect(centre.getByTestId("alert-announcement")).toContainText(`New offer: ${organ.toLowerCase()}`);
    await expect(centre).toHaveTitle(/^\(\d+\) /);
    // The offer is a decision sheet: HLA with this candidate's mismatches, the donor's facts, ischemia.
    const sheet = offer.getByTestId("offer-sheet");
    await expect(sheet.getByTestId("sheet-restrictions")).toContainText(
      "No transplant to a recipient under 18.",
    );
    await expect(sheet.getByTestId("sheet-donor")).toContainText(
      "A, 38 years, male, DBD (after brain death)",
    );
    await expect(sheet.getByTestId("sheet-donor")).toContainText("HBV, HCV, HIV negative");
    await expect(sheet.getByTestId("sheet-donor")).toContainText(
      "donor 178 cm, 80 kg; candidate 172 cm, 74 kg",
    );
    await expect(sheet.getByTestId("sheet-hla")).toContainText("A1 A3");
    if (organ === "KIDNEY") {
      for (const locus of ["A", "B", "DR"])
        await expect(sheet.getByTestId(`mismatched-${locus}`)).toHaveText("none");
    } else {
      await expect(sheet.getByTestId("mismatched-A")).toHaveText("A1 A3");
    }
    await expect(sheet.getByTestId("sheet-ischemia")).toContainText("Cold ischemia");
    await offer.getByRole("button", { name: "Accept" }).click();
    await expect(centre.getByTestId("answered-offers")).toContainText(`${candidateCode}: accepted`);

    // The OPO's page follows live: the organ is allocated.
    await expect(section.getByTestId("organ-status")).toHaveText("allocated");
    await expect(first.getByTestId("offer-status")).toHaveText("accepted");
    return (await section.getByTestId("match-run").getAttribute("data-match-run-id")) as string;
  };

  const kidneyRun = await allocate("KIDNEY", kidneyCode, "Zero-antigen mismatch");
  await expectAccessible(opo);
  const liverRun = await allocate("LIVER", liverCode, "Status 1A");
  await expectAccessible(centre);
  expect(await centre.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(
    true,
  );

  // A regulator replays both runs from their anchored snapshots: identical rankings.
  const regulator = await (await browser.newContext()).newPage();
  await signInAs(regulator, "REGULATOR");
  for (const id of [kidneyRun, liverRun]) {
    await regulator.goto(`/regulator/match-runs/${id}`);
    await regulator.getByRole("button", { name: "Replay this match run" }).click();
    const result = regulator.getByTestId("replay-result");
    await expect(result).toHaveAttribute("data-identical", "true");
    await expect(result).toContainText("Identical ranking");
    await expect(result).toContainText("Snapshot unchanged");
  }
  await expectAccessible(regulator);
});

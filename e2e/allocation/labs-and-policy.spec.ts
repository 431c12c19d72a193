import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, expectAccessible, signInAs, test } from "../fixtures/auth";

/** Calls a tRPC mutation as the signed-in user of `page`, the way the portal's own pages do. */
async function mutate<T>(page: Page, path: string, input: unknown): Promise<T> {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).result.data.json as T;
}

const unique = () => randomBytes(4).toString("hex").toUpperCase();
const today = () => new Date().toISOString().slice(0, 10);

test("an OPO records a rising creatinine and runs the Eurotransplant policy, which stays chosen; the centre's sheet shows the trend", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const centre = await (await browser.newContext()).newPage();
  await signInAs(centre, "CENTER_COORDINATOR");
  const listed = await mutate<{ code: string }>(centre, "waitlist.add", {
    organ: "KIDNEY",
    abo: "B",
    hla: { A: ["A1", "A2"], B: ["B8", "B44"], C: [], DR: ["DR4", "DR15"], DQ: [] },
    unacceptable: [],
    cpra: 5,
    listedAt: "2021-03-01",
    dialysisStartedAt: "2020-09-01",
    dateOfBirth: "1970-04-04",
    sex: "M",
    heightCm: 180,
    weightKg: 82,
    urgency: { highUrgency: false },
    allocation: { country: "NL", region: "NL", antibodyScreenedAt: today() },
  });

  const opo = await (await browser.newContext()).newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  const { receiptCode } = await mutate<{ receiptCode: string }>(opo, "consent.recordFamilyAuthorisation", {
    person: {
      fullName: `Lab Trend ${unique()}`,
      dateOfBirth: "1979-01-01",
      identifier: { scheme: "GENERIC", value: `LAB${unique()}` },
    },
    decision: "DONATE_ALL",
    organs: [],
    purposes: ["TRANSPLANT"],
    authorisedBy: { name: "Pat Kin", relationship: "SPOUSE", witness: "Nurse Witness" },
  });
  const opened = await mutate<{ donorCaseId: string }>(opo, "donorCase.open", {
    referralHospital: "Lakeside General",
    consentReceiptCode: receiptCode,
    donor: {
      abo: "B",
      hla: { A: ["A1", "A2"], B: ["B8", "B44"], C: [], DR: ["DR4", "DR15"], DQ: [] },
      ageYears: 52,
      heightCm: 176,
      weightKg: 79,
      sex: "M",
      causeOfDeath: "ANOXIA",
      dcd: false,
      hypertension: false,
      diabetes: false,
      creatinineMgDl: 1.1,
      hbv: false,
      hcv: false,
      hiv: false,
      country: "NL",
      region: "NL",
    },
    organs: [{ type: "KIDNEY", laterality: "LEFT" }],
  });

  // A result typed in after referral; the case shows it against the referral value.
  await opo.goto(`/opo/cases/${opened.donorCaseId}`);
  const labs = opo.getByRole("form", { name: "Record a lab result" });
  // Values as the coordinator types them, in the unit their settings ask for (another spec may
  // have switched this demo user to µmol/L): 2.3 mg/dL is 203 µmol/L, 1.1 mg/dL is 97.
  const micromol = ((await labs.locator('label[for="lab-value"]').textContent()) ?? "").includes("µmol/L");
  const typed = micromol ? { high: "8000", value: "203" } : { high: "80", value: "2.3" };
  const shown = micromol
    ? { latest: "203 µmol/L", referral: "97 µmol/L" }
    : { latest: "2.3 mg/dL", referral: "1.1 mg/dL" };
  await labs.getByLabel(/^Value/).fill(typed.high);
  await labs.getByRole("button", { name: "Record result" }).click();
  await expect(labs.getByText("creatinine is 0.1–25 mg/dL")).toBeVisible();
  await labs.getByLabel(/^Value/).fill(typed.value);
  // Taken a minute after the referral (the form's default, now to the minute, may precede it).
  const minuteLater = await opo.evaluate(() => {
    const d = new Date(Date.now() + 60_000);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  });
  await labs.getByLabel("Taken at").fill(minuteLater);
  await labs.getByRole("button", { name: "Record result" }).click();
  const creatinine = opo.getByTestId("lab-CREATININE");
  await expect(creatinine).toHaveAttribute("data-direction", "rising");
  await expect(creatinine).toContainText(shown.latest);
  await expect(creatinine).toContainText(`${shown.referral} at referral`);
  await expectAccessible(opo);

  // The Eurotransplant policy is chosen and run; the choice holds after the run and a reload.
  const section = opo.getByTestId("organ-KIDNEY");
  const policy = section.getByLabel("Allocation policy");
  await policy.selectOption({ label: "Eurotransplant ETKAS-style kidney points" });
  const etkas = await policy.inputValue();
  await section.getByRole("button", { name: "Run the match" }).click();
  const first = section.locator('[data-testid="ranked-row"][data-rank="1"]');
  await expect(first).toContainText(listed.code);
  await expect(policy).toHaveValue(etkas);
  await opo.reload();
  await expect(opo.getByTestId("organ-KIDNEY").getByLabel("Allocation policy")).toHaveValue(etkas);

  // The centre's decision sheet reads the trend, not only the value at referral.
  await opo.getByTestId("organ-KIDNEY").getByRole("button", { name: "Send next offers" }).click();
  await centre.goto("/center/offers");
  const offer = centre.getByTestId("offer").filter({ hasText: listed.code });
  const sheetCreatinine = offer.getByTestId("offer-sheet").getByTestId("lab-CREATININE");
  await expect(sheetCreatinine).toHaveAttribute("data-direction", "rising");
  // The centre reads it in its own unit.
  await expect(sheetCreatinine).toContainText(/2\.3 mg\/dL|203 µmol\/L/);
  await expectAccessible(centre);
});

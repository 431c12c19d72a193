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
const HLA = { A: ["A1", "A2"], B: ["B8", "B44"], C: [], DR: ["DR4", "DR15"], DQ: [] };

test("a centre erases a removed candidate's record after a confirmation; the list shows it erased and the regulator's replay still verifies the run that ranked them", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const centre = await (await browser.newContext()).newPage();
  await signInAs(centre, "CENTER_COORDINATOR");
  const listed = await mutate<{ id: string; code: string }>(centre, "waitlist.add", {
    organ: "KIDNEY",
    abo: "AB",
    hla: HLA,
    unacceptable: [],
    cpra: 3,
    listedAt: "2020-03-01",
    dialysisStartedAt: "2019-09-01",
    dateOfBirth: "1968-07-21",
    sex: "F",
    heightCm: 168,
    weightKg: 70,
    urgency: { highUrgency: false },
  });

  // A match run ranks the candidate.
  const opo = await (await browser.newContext()).newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  const { receiptCode } = await mutate<{ receiptCode: string }>(opo, "consent.recordFamilyAuthorisation", {
    person: {
      fullName: `Erasure Case ${unique()}`,
      dateOfBirth: "1975-02-02",
      identifier: { scheme: "GENERIC", value: `ER${unique()}` },
    },
    decision: "DONATE_ALL",
    organs: [],
    purposes: ["TRANSPLANT"],
    authorisedBy: { name: "Sam Kin", relationship: "SPOUSE", witness: "Nurse Witness" },
  });
  const opened = await mutate<{ organs: Array<{ id: string }> }>(opo, "donorCase.open", {
    referralHospital: "Lakeside General",
    consentReceiptCode: receiptCode,
    donor: {
      abo: "A",
      hla: HLA,
      ageYears: 48,
      heightCm: 170,
      weightKg: 72,
      sex: "F",
      causeOfDeath: "ANOXIA",
      dcd: false,
      hypertension: false,
      diabetes: false,
      creatinineMgDl: 1.0,
      hbv: false,
      hcv: false,
      hiv: false,
    },
    organs: [{ type: "KIDNEY", laterality: "RIGHT" }],
  });
  const run = await mutate<{ matchRunId: string }>(opo, "matchRun.run", {
    organId: opened.organs[0]?.id,
  });

  // The recipient asks to be forgotten: the centre removes them from the list, then erases.
  await mutate(centre, "waitlist.setStatus", {
    candidateId: listed.id,
    status: "REMOVED",
    reason: "Recipient asked to leave the list",
  });
  await centre.goto("/center/waitlist");
  const row = centre.getByTestId("waitlist-row").filter({ hasText: listed.code });
  await row.getByRole("button", { name: "erase record" }).click();
  const dialog = centre.getByRole("dialog", { name: `Erase the record of ${listed.code}?` });
  await expect(dialog).toContainText("cannot be undone");
  await expectAccessible(centre);
  // Without the typed confirmation, nothing is erased.
  await dialog.getByLabel("Reason").selectOption("RECIPIENT_REQUEST");
  await dialog.getByRole("button", { name: "Erase the record" }).click();
  await expect(dialog.getByText("type ERASE to confirm", { exact: true })).toBeVisible();
  await dialog.getByLabel("Type ERASE to confirm").fill("ERASE");
  await dialog.getByRole("button", { name: "Erase the record" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId("candidate-erased")).toContainText("record erased");
  await expect(row.getByRole("button", { name: "erase record" })).toHaveCount(0);

  // The regulator's replay of the run that ranked them still verifies its snapshot, and says why
  // the candidate cannot be ranked again.
  const regulator = await (await browser.newContext()).newPage();
  await signInAs(regulator, "REGULATOR");
  await regulator.goto(`/regulator/match-runs/${run.matchRunId}`);
  await regulator.getByRole("button", { name: "Replay this match run" }).click();
  const result = regulator.getByTestId("replay-result");
  await expect(result).toContainText("Snapshot unchanged since it was recorded.", { timeout: 30_000 });
  await expect(result).toContainText("were erased since");
});

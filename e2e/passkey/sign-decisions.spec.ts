import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { DEMO, expect, expectAccessible, signInAs, test } from "../fixtures/auth";
import { addVirtualAuthenticator } from "../fixtures/passkey";

// A rare typing shared by this donor and this candidate (a zero-antigen mismatch), so the offer goes to them.
const HLA = { A: ["A29", "A31"], B: ["B57", "B58"], C: [], DR: ["DR7", "DR13"], DQ: [] };

/** A tRPC mutation through the portal's own API, as the page's signed-in user. */
async function call<T>(page: Page, path: string, input: unknown): Promise<T> {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
  return (await res.json()).result.data.json as T;
}

test("a coordinator enrols a passkey and signs an offer's acceptance; a colleague without one acts unsigned; the regulator's timeline shows who signed, when and what it means", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const centreContext = await browser.newContext();
  const centre = await centreContext.newPage();
  const cdp = await addVirtualAuthenticator(centreContext, centre);
  await signInAs(centre, "CENTER_COORDINATOR");

  // Enrol: the settings page adds a passkey with the virtual authenticator.
  await centre.goto("/settings");
  await centre.getByRole("button", { name: "Add a passkey" }).click();
  await expect(centre.getByRole("status").filter({ hasText: "Passkey added" })).toBeVisible();
  await expect(centre.getByTestId("passkey-list")).toContainText("Passkey added");
  const credentials = cdp.credentials;
  expect(await credentials()).toHaveLength(1);
  await expectAccessible(centre);

  // The centre lists a candidate; the OPO (no passkey) records a family authorisation in the portal.
  const candidate = await call<{ code: string }>(centre, "waitlist.add", {
    organ: "KIDNEY",
    abo: "B",
    hla: HLA,
    unacceptable: [],
    cpra: 10,
    listedAt: "2018-01-10",
    dialysisStartedAt: "2017-06-01",
    dateOfBirth: "1975-05-05",
    sex: "F",
    heightCm: 168,
    weightKg: 70,
    priorLivingDonor: false,
    priorTransplants: 0,
    diabetes: false,
    urgency: { highUrgency: false },
  });
  const opo = await (await browser.newContext()).newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  await opo.goto("/opo/registry");
  await opo.getByLabel("Person's full name").fill("Never Registered Signer");
  await opo.locator("#fa-scheme").selectOption("GENERIC");
  await opo.locator("#fa-identifier").fill(`E2E${randomBytes(4).toString("hex").toUpperCase()}`);
  await opo.locator("#fa-dob").fill("1979-03-03");
  await opo.getByLabel("Donate all").check();
  await opo.getByLabel("Authorised by (name)").fill("Sam Kin");
  await opo.getByLabel("Witness").fill("Ward Nurse");
  await opo.getByRole("button", { name: "Record authorisation" }).click();
  const recorded = opo.getByRole("status").filter({ hasText: "Family authorisation recorded" });
  await expect(recorded).toBeVisible();
  // Acting without a passkey is allowed; the fallback is recorded and said.
  await expect(opo.getByTestId("signature-outcome")).toHaveAttribute("data-status", "NOT_SIGNED");
  await expect(opo.getByTestId("signature-outcome")).toContainText("Not signed with a passkey");
  await expectAccessible(opo);
  const receipt = (await recorded.textContent())?.match(/receipt ([A-Z0-9]+)\./)?.[1] as string;

  const opened = await call<{ organs: Array<{ id: string; din: string }> }>(opo, "donorCase.open", {
    referralHospital: "Lakeside General",
    consentReceiptCode: receipt,
    donor: {
      abo: "B",
      hla: HLA,
      ageYears: 38,
      heightCm: 178,
      weightKg: 80,
      sex: "M",
      causeOfDeath: "STROKE",
      dcd: false,
      hypertension: false,
      diabetes: false,
      creatinineMgDl: 0.9,
      hbv: false,
      hcv: false,
      hiv: false,
    },
    organs: [{ type: "KIDNEY", laterality: "LEFT" }],
  });
  const organ = opened.organs[0] as { id: string; din: string };
  const run = await call<{ matchRunId: string }>(opo, "matchRun.run", { organId: organ.id });
  await call(opo, "offer.sendNext", { matchRunId: run.matchRunId });

  // The centre accepts its candidate's offer and signs the acceptance with the passkey.
  await centre.goto("/center/offers");
  const offer = centre
    .locator(`[data-testid="offer"][data-din="${organ.din}"]`)
    .filter({ hasText: candidate.code });
  await expect(offer).toBeVisible();
  await offer.getByRole("button", { name: "Accept" }).click();
  const panel = centre.getByTestId("sign-decision");
  await expect(panel).toContainText("Your signature means: accepted offer");
  await expectAccessible(centre);
  await panel.getByRole("button", { name: "Sign with passkey" }).click();
  await expect(centre.getByTestId("signature-outcome")).toContainText(
    "Signed with your passkey: accepted offer",
  );
  expect((await credentials())[0]?.signCount).toBeGreaterThan(0);

  // The regulator's provenance timeline: signer's name, time and meaning on each signed decision.
  const regulator = await (await browser.newContext()).newPage();
  await signInAs(regulator, "REGULATOR");
  await regulator.goto(`/regulator/organs/${organ.id}`);
  const signed = regulator.locator('[data-testid="step-signature"][data-status="SIGNED"]');
  await expect(signed).toHaveCount(1);
  await expect(signed).toContainText(`Signed with a passkey by ${DEMO.CENTER_COORDINATOR.name}`);
  await expect(signed).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: accepted offer$/);
  const unsigned = regulator.locator('[data-testid="step-signature"][data-status="NOT_SIGNED"]');
  await expect(unsigned).toContainText(
    `Not signed with a passkey (no passkey enrolled): recorded family authorisation by ${DEMO.OPO_COORDINATOR.name}`,
  );
  await expect(regulator.getByTestId("provenance-verdict")).not.toContainText("passkey");
  await expectAccessible(regulator);
});

import { createAllocatedOrgan } from "../../test/factories/portal-db";
import { DEMO, expect, expectAccessible, signInAs, test } from "../fixtures/auth";
import { recordStep, recoverAndPackage } from "../fixtures/custody";
import { addVirtualAuthenticator, enrolPasskey, signWithPasskey } from "../fixtures/passkey";

test("a hand-off accepted and offered on, and a discard, are each signed with the person's passkey; the regulator's timeline shows who signed, when and what it means", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const organ = await createAllocatedOrgan();

  // The OPO coordinator (no passkey: other specs rely on that) recovers, packages and offers the
  // organ to the courier; the fallback is recorded with the hand-off.
  const opo = await (await browser.newContext()).newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  const clamp = new Date(Date.now() - 90 * 60_000);
  await recoverAndPackage(opo, organ.organId, {
    clamp,
    recoveredAfterMin: 30,
    packagedAfterMin: 45,
    location: "Lakeside General OR 2",
  });
  await recordStep(opo, organ.organId, "HANDOFF_OFFERED", { toEmail: DEMO.COURIER.email }, new Date());

  // The courier, with a passkey of their own, scans the label, confirms the receipt and signs it.
  const courierContext = await browser.newContext();
  const courier = await courierContext.newPage();
  const courierKey = await addVirtualAuthenticator(courierContext, courier);
  await signInAs(courier, "COURIER");
  await enrolPasskey(courier);
  await courier.goto("/organs/scan");
  await courier.getByLabel("Donation Identification Number").fill(organ.din);
  await courier.getByRole("button", { name: "Open organ" }).click();
  await expect(courier.getByTestId("scanned-organ")).toBeVisible();
  await courier.getByLabel("Step", { exact: true }).selectOption({ label: "Receipt of hand-off" });
  await courier.getByLabel("Location", { exact: true }).fill("Lakeside General loading bay");
  await courier.getByLabel("Temperature (°C)").fill("4");
  await courier.getByRole("button", { name: /^Record receipt/ }).click();
  await signWithPasskey(courier, "received custody");

  expect((await courierKey.credentials())[0]?.signCount).toBeGreaterThan(0);

  // On the organ's page, the courier offers the organ on to the centre and signs the hand-off.
  await courier.goto(`/organs/${organ.organId}`);
  await courier.getByLabel("Step", { exact: true }).selectOption({ label: "Hand-off" });
  await courier.getByLabel("Hand over to (e-mail of the receiver)").fill(DEMO.CENTER_COORDINATOR.email);
  await courier.getByLabel("Location", { exact: true }).fill("Riverside Transplant Centre dock");
  await courier.getByLabel("Temperature (°C)").fill("5");
  await courier.getByRole("button", { name: /^Record hand-off/ }).click();
  await signWithPasskey(courier, "handed over");

  // Before the centre confirms, the packaging is found breached: the courier discards the organ, with
  // a reason, and signs the discard.
  await courier.getByLabel("Step", { exact: true }).selectOption({ label: "Discard" });
  await courier.getByLabel("Reason for discard").fill("Packaging breached in a road accident");
  await courier.getByRole("button", { name: /^Record discard/ }).click();
  await signWithPasskey(courier, "discarded organ");
  await expectAccessible(courier);

  // The regulator's provenance timeline: each signed decision with the signer's name, time and meaning.
  const regulator = await (await browser.newContext()).newPage();
  await signInAs(regulator, "REGULATOR");
  await regulator.goto(`/regulator/organs/${organ.organId}`);
  const signed = regulator.locator('[data-testid="step-signature"][data-status="SIGNED"]');
  await expect(signed).toHaveCount(3);
  const time = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC`;
  for (const meaning of ["received custody", "handed over", "discarded organ"]) {
    const line = signed.filter({ hasText: new RegExp(`${time}: ${meaning}$`) });
    await expect(line).toHaveCount(1);
    await expect(line).toContainText(`Signed with a passkey by ${DEMO.COURIER.name}`);
  }
  await expect(regulator.locator('[data-testid="step-signature"][data-status="NOT_SIGNED"]')).toContainText(
    `Not signed with a passkey (no passkey enrolled): handed over by ${DEMO.OPO_COORDINATOR.name}`,
  );
  // Every step's portal signature holds too.
  await expect(regulator.locator('[data-check="portal-signature"][data-result="FAIL"]')).toHaveCount(0);
  await expectAccessible(regulator);
});

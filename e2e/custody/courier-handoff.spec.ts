import type { Browser } from "@playwright/test";
import { createAllocatedOrgan } from "../../test/factories/portal-db";
import { DEMO, expect, expectAccessible, signInAs, test } from "../fixtures/auth";
import { recordStep, recoverAndPackage } from "../fixtures/custody";

/** An organ recovered and packaged an hour ago by the OPO, whose page offers it to the courier. */
async function offeredToCourier(browser: Browser) {
  const organ = await createAllocatedOrgan();
  const opoContext = await browser.newContext();
  const opo = await opoContext.newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  const clamp = new Date(Date.now() - 60 * 60_000);
  await recoverAndPackage(opo, organ.organId, {
    clamp,
    recoveredAfterMin: 20,
    packagedAfterMin: 30,
    location: "Lakeside General OR 2",
  });
  await recordStep(opo, organ.organId, "HANDOFF_OFFERED", { toEmail: DEMO.COURIER.email });
  return { organ, opoContext };
}

test("a courier's hand-off and checkpoint reach the centre's dashboard live; a discard needs a reason", async ({
  browser,
}) => {
  // Three people signed in, seven steps and two accessibility scans: a minute is too tight on two busy cores.
  test.setTimeout(120_000);
  const organ = await createAllocatedOrgan();

  // The OPO recovers and packages the organ and offers it to the courier.
  const opoContext = await browser.newContext();
  const opo = await opoContext.newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  const clamp = new Date(Date.now() - 90 * 60_000);
  await recoverAndPackage(opo, organ.organId, {
    clamp,
    recoveredAfterMin: 30,
    packagedAfterMin: 45,
    location: "Lakeside General OR 2",
  });
  await recordStep(opo, organ.organId, "HANDOFF_OFFERED", { toEmail: DEMO.COURIER.email });

  // The centre coordinator watches its dashboard in another browser.
  const centreContext = await browser.newContext();
  const centre = await centreContext.newPage();
  await signInAs(centre, "CENTER_COORDINATOR");
  const row = centre.locator(`[data-testid="organ-row"][data-organ-id="${organ.organId}"]`);
  await expect(row).toBeVisible();
  await expect(centre.getByTestId("custody-live")).toHaveAttribute("data-state", "connected");
  const clock = row.getByTestId("ischemia-elapsed");
  const before = await clock.textContent();
  await expect(clock).not.toHaveText(before ?? "", { timeout: 2500 }); // ticking
  await expectAccessible(centre);

  // The courier scans the label (typed DIN) and confirms the hand-off.
  const courierContext = await browser.newContext();
  const courier = await courierContext.newPage();
  await signInAs(courier, "COURIER");
  await courier.goto("/organs/scan");
  await expectAccessible(courier);
  await courier.getByLabel("Donation Identification Number").fill(organ.din);
  await courier.getByRole("button", { name: "Open organ" }).click();
  await expect(courier.getByTestId("scanned-organ")).toBeVisible();
  await courier.getByLabel("Location", { exact: true }).fill("Lakeside General loading bay");
  await courier.getByLabel("Temperature (°C)").fill("4");
  await courier.getByRole("button", { name: /^Record receipt/ }).click();
  await expect(courier.getByTestId("record-done")).toBeVisible();
  await expect(row.getByTestId("organ-holder")).toContainText(DEMO.COURIER.name, { timeout: 1000 });

  // A checkpoint on the way.
  await courier.getByLabel("Step", { exact: true }).selectOption({ label: "Checkpoint" });
  await courier.getByLabel("Location", { exact: true }).fill("I-94 mile 212");
  await courier.getByLabel("Temperature (°C)").fill("5");
  await courier.getByRole("button", { name: /^Record checkpoint/ }).click();
  await expect(courier.getByTestId("record-done")).toBeVisible();
  await expect(row.getByTestId("organ-checkpoint")).toContainText("I-94 mile 212", { timeout: 1000 });
  await expect(clock).not.toHaveText((await clock.textContent()) ?? "", { timeout: 2500 });

  // A discard without a reason is refused with a message that says what is missing.
  await courier.getByLabel("Step", { exact: true }).selectOption({ label: "Discard" });
  await courier.getByRole("button", { name: /^Record discard/ }).click();
  await expect(courier.getByTestId("record-error")).toContainText(/reason/i);
  await expect(row).toBeVisible(); // still in flight

  // The journey and the label pages.
  await courier.goto(`/organs/${organ.organId}`);
  await expect(courier.getByTestId("timeline-event")).toHaveCount(6);
  await expectAccessible(courier);
  await courier.goto(`/organs/${organ.organId}/label`);
  await expect(courier.getByTestId("label-check")).toHaveText(organ.din.slice(13));
  await expect(courier.locator('[data-testid="organ-label"] img[src^="data:image/svg+xml"]')).toHaveCount(2);
  await expectAccessible(courier);

  await Promise.all([opoContext.close(), centreContext.close(), courierContext.close()]);
});

test("the courier's list holds the organs in their care and drops one, live, once the receiver confirms it", async ({
  browser,
}) => {
  const { organ, opoContext } = await offeredToCourier(browser);

  const courierContext = await browser.newContext();
  const courier = await courierContext.newPage();
  await signInAs(courier, "COURIER");
  const item = courier.getByTestId("courier-organ").filter({ hasText: organ.din });
  // Offered but not yet taken: not theirs yet.
  await expect(courier.getByRole("heading", { name: "Organs in your care" })).toBeVisible();
  await expect(item).toHaveCount(0);
  await recordStep(courier, organ.organId, "HANDOFF_ACCEPTED", {});
  await expect(item).toHaveCount(1);

  // Handed on to the centre: still in the courier's care until the centre confirms, then gone.
  await recordStep(courier, organ.organId, "HANDOFF_OFFERED", { toEmail: DEMO.CENTER_COORDINATOR.email });
  await expect(item).toHaveCount(1);
  const centreContext = await browser.newContext();
  const centre = await centreContext.newPage();
  await signInAs(centre, "CENTER_COORDINATOR");
  await recordStep(centre, organ.organId, "HANDOFF_ACCEPTED", {});
  await expect(item).toHaveCount(0);

  await Promise.all([opoContext.close(), courierContext.close(), centreContext.close()]);
});

test("a hand-off confirmed while the courier's page is still connecting is on their list once it connects", async ({
  browser,
}) => {
  const { organ, opoContext } = await offeredToCourier(browser);

  // The live connection is held back: the list is read, the step is recorded, then the socket joins.
  const courierContext = await browser.newContext();
  const courier = await courierContext.newPage();
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await courier.route("**/socket.io/**", async (route) => {
    await released;
    await route.continue();
  });
  await signInAs(courier, "COURIER");
  const item = courier.getByTestId("courier-organ").filter({ hasText: organ.din });
  await expect(courier.getByRole("heading", { name: "Organs in your care" })).toBeVisible();
  await expect(courier.getByText("Loading…")).toHaveCount(0); // the list has been read
  await recordStep(courier, organ.organId, "HANDOFF_ACCEPTED", {});
  await expect(item).toHaveCount(0); // pushed to a room nobody had joined yet
  release();
  await expect(item).toHaveCount(1);

  await Promise.all([opoContext.close(), courierContext.close()]);
});

test("a list read before a hand-off but answered after its push keeps the organ the push brought in", async ({
  browser,
}) => {
  const { organ, opoContext } = await offeredToCourier(browser);

  // Every read of the list is made by the server at once, before the hand-off, but its answer
  // reaches the page only after the hand-off's push: a slow list on a busy portal.
  const courierContext = await browser.newContext();
  const courier = await courierContext.newPage();
  let reads = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const answered: Array<Promise<void>> = [];
  await courier.route(/\/api\/trpc\/[^?]*custody\.listInFlight/, async (route) => {
    reads += 1;
    const response = await route.fetch();
    const answer = released.then(() => route.fulfill({ response }).catch(() => {})); // a read the page gave up
    answered.push(answer);
    await answer;
  });
  await signInAs(courier, "COURIER");
  const item = courier.getByTestId("courier-organ").filter({ hasText: organ.din });
  // The first read, and the read again once the live channel joined its rooms.
  await expect.poll(() => reads).toBeGreaterThanOrEqual(2);
  await recordStep(courier, organ.organId, "HANDOFF_ACCEPTED", {});
  await expect(item).toHaveCount(1); // pushed
  release();
  await Promise.all(answered);
  await expect(courier.getByText("Loading…")).toHaveCount(0); // the late list has been applied
  await expect(item).toHaveCount(1);

  await Promise.all([opoContext.close(), courierContext.close()]);
});

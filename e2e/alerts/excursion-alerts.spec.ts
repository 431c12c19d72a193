import type { BrowserContext } from "@playwright/test";
import { createAllocatedOrgan } from "../../test/factories/portal-db";
import { DEMO, expect, expectAccessible, signInAs, test } from "../fixtures/auth";
import { recordStep, recoverAndPackage } from "../fixtures/custody";

/** Counts the tones the page makes (Web Audio oscillators) and the desktop notifications it raises. */
async function watchAlerts(context: BrowserContext) {
  await context.grantPermissions(["notifications"]);
  await context.addInitScript(() => {
    const w = window as unknown as { __tones: number; __notifications: string[] };
    w.__tones = 0;
    w.__notifications = [];
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) {
      w.__tones += 1;
      return start.apply(this, args);
    };
    class FakeNotification {
      static permission = "granted";
      static requestPermission = async () => "granted";
      constructor(title: string, opts?: { body?: string }) {
        w.__notifications.push(`${title}: ${opts?.body ?? ""}`);
      }
    }
    Object.defineProperty(window, "Notification", { value: FakeNotification });
  });
}

test("a 40 °C checkpoint is flagged on the step, both dashboards, the regulator's timeline and reports, and alerts the centre", async ({
  browser,
}) => {
  test.setTimeout(300_000); // three people's browsers on a shared machine
  const organ = await createAllocatedOrgan();
  const opoContext = await browser.newContext();
  const opo = await opoContext.newPage();
  await signInAs(opo, "OPO_COORDINATOR");

  // The centre turns desktop notifications on and waits on its dashboard.
  const centreContext = await browser.newContext();
  await watchAlerts(centreContext);
  const centre = await centreContext.newPage();
  await signInAs(centre, "CENTER_COORDINATOR");
  await centre.goto("/settings");
  await expect(centre.getByLabel("Play a sound")).toBeChecked();
  await centre.getByLabel("Show a desktop notification").check();
  await centre.getByLabel("Creatinine and bilirubin shown in").selectOption("µmol/L");
  await centre.getByRole("button", { name: "Save settings" }).click();
  await expect(centre.getByTestId("settings-saved")).toBeVisible();
  await expectAccessible(centre);
  await centre.goto("/center");
  await expect(centre.getByTestId("custody-live")).toHaveAttribute("data-state", "connected");
  await centre.mouse.click(5, 5); // a user gesture, so the page may make sound

  const clamp = new Date(Date.now() - 60 * 60_000);
  await recordStep(opo, organ.organId, "CROSS_CLAMP", { location: "Lakeside General OR 2" }, clamp);
  await recordStep(opo, organ.organId, "RECOVERED", {}, new Date(clamp.getTime() + 20 * 60_000));
  const packaged = await recordStep(
    opo,
    organ.organId,
    "PACKAGED",
    { temperatureC: 4 },
    new Date(clamp.getTime() + 30 * 60_000),
  );
  expect(packaged.warnings).toEqual([]);
  await expect(centre.getByTestId("alert-announcement")).toHaveText("");

  const hot = await recordStep(opo, organ.organId, "CHECKPOINT", { location: "Ward 4", temperatureC: 40 });
  expect(hot.warnings.join(" ")).toContain(
    "40 °C is above the 0–8 °C range for static cold storage of a kidney",
  );

  // The centre hears of it: screen-reader announcement, tab title, sound, desktop notification.
  await expect(centre.getByTestId("alert-announcement")).toContainText("Temperature excursion: 40 °C");
  await expect(centre).toHaveTitle(/^\(1\) /);
  expect(await centre.evaluate(() => (window as unknown as { __tones: number }).__tones)).toBeGreaterThan(0);
  expect(
    await centre.evaluate(() => (window as unknown as { __notifications: string[] }).__notifications),
  ).toEqual([expect.stringContaining("40 °C is above")]);
  const row = centre.locator(`[data-testid="organ-row"][data-organ-id="${organ.organId}"]`);
  await expect(row.getByTestId("excursion-flag")).toContainText("Excursion");
  await expectAccessible(centre);
  await centre.getByRole("button", { name: "Mark all seen" }).click();
  await expect(centre).not.toHaveTitle(/^\(\d+\) /);

  // The OPO's dashboard and the organ's journey flag it too.
  await opo.goto("/opo");
  await expect(
    opo.locator(`[data-testid="organ-row"][data-organ-id="${organ.organId}"]`).getByTestId("excursion-flag"),
  ).toBeVisible();
  await opo.goto(`/organs/${organ.organId}`);
  const step = opo.locator('[data-testid="timeline-event"][data-kind="CHECKPOINT"]');
  await expect(step.getByTestId("excursion-flag")).toContainText("40 °C is above the 0–8 °C range");
  await expectAccessible(opo);

  await Promise.all([opoContext.close(), centreContext.close()]);
});

test("the regulator's timeline marks the excursion (never 'pass') with who and where, and reports list it", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const organ = await createAllocatedOrgan();
  const opoContext = await browser.newContext();
  const opo = await opoContext.newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  const clamp = new Date(Date.now() - 60 * 60_000);
  await recoverAndPackage(opo, organ.organId, { clamp, recoveredAfterMin: 20, packagedAfterMin: 30 });
  await recordStep(opo, organ.organId, "CHECKPOINT", { location: "Ward 4", temperatureC: 40 });
  await opoContext.close();
  const regContext = await browser.newContext();
  const reg = await regContext.newPage();
  await signInAs(reg, "REGULATOR");
  await reg.goto(`/regulator/organs/${organ.organId}`);
  await expect(reg.getByTestId("excursion-summary")).toContainText("1 custody step recorded an excursion");
  const flagged = reg
    .locator('[data-testid="provenance-step"]')
    .filter({ has: reg.getByTestId("excursion-flag") });
  await expect(flagged).toHaveCount(1);
  await expect(flagged.locator('[data-check="temperature"]')).toHaveAttribute("data-result", "EXCURSION");
  await expect(flagged.getByTestId("step-facts")).toContainText("Ward 4");
  await expect(flagged.getByTestId("step-facts")).toContainText("40 °C");
  await expect(flagged.getByTestId("step-actor")).toContainText(DEMO.OPO_COORDINATOR.name);
  await expectAccessible(reg);
  await reg.goto("/regulator/reports");
  const report = reg.getByTestId("excursions-report");
  await expect(report.getByRole("row").filter({ hasText: organ.din })).toContainText("40 °C");
  await expectAccessible(reg);
  await regContext.close();
});

test("the offers page says it is loading instead of flashing 'No open offers'", async ({ page }) => {
  await signInAs(page, "CENTER_COORDINATOR");
  let release: () => void = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  await page.route("**/api/trpc/offer.forCentre**", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto("/center/offers");
  await expect(page.getByTestId("offers-loading")).toBeVisible();
  await expect(page.getByText("No open offers")).toHaveCount(0);
  release();
  await expect(page.getByTestId("offers-loading")).toHaveCount(0);
});

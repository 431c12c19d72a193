import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { createAllocatedOrgan } from "../../test/factories/portal-db";
import { expect, expectAccessible, signInAs, type TDemoRole, test } from "../fixtures/auth";

/** Couriers and on-call coordinators work from phones: every page fits 390 px without sideways scrolling. */
test.use({ viewport: { width: 390, height: 844 } });

async function expectNoSidewaysScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `${page.url()} is ${scroll} px wide in a ${client} px window`).toBeLessThanOrEqual(client);
}

/** Each role's pages (its menu and the pages it reaches from there). */
const PAGES: Record<TDemoRole, string[]> = {
  DONOR: ["/donor", "/verify"],
  OPO_COORDINATOR: ["/opo", "/opo/cases", "/opo/registry", "/organs/scan"],
  CENTER_COORDINATOR: ["/center", "/center/offers", "/center/waitlist", "/organs/scan", "/settings"],
  COURIER: ["/courier", "/organs/scan"],
  REGULATOR: [
    "/regulator",
    "/regulator/organs",
    "/regulator/allocations",
    "/regulator/audit",
    "/regulator/access-log",
    "/regulator/reports",
  ],
  ADMIN: ["/admin"],
};

for (const role of Object.keys(PAGES) as TDemoRole[]) {
  test(`${role}: every page fits 390 px and stays accessible`, async ({ page }) => {
    test.setTimeout(300_000);
    await signInAs(page, role);
    for (const path of PAGES[role]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.waitForLoadState("networkidle");
      await expectNoSidewaysScroll(page);
      await expectAccessible(page);
    }
  });
}

test("the organs-in-flight list shows the ischemia clock on screen at 390 px", async ({ browser }) => {
  test.setTimeout(180_000);
  const organ = await createAllocatedOrgan();
  const opo = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  const res = await opo.request.post("/api/trpc/custody.recordEvent", {
    data: {
      json: {
        organId: organ.organId,
        clientEventId: randomUUID(),
        kind: "CROSS_CLAMP",
        reportedAt: new Date(Date.now() - 60 * 60_000).toISOString(),
        details: { location: "Lakeside General OR 2" },
      },
    },
  });
  expect(res.status(), await res.text()).toBe(200);
  await opo.reload();
  const row = opo.locator(`[data-testid="organ-row"][data-organ-id="${organ.organId}"]`);
  await expect(row).toBeVisible();
  // The clock is on the card, inside the window's width (no sideways scrolling to reach it).
  const clock = row.getByTestId("ischemia-elapsed");
  await expect(clock).toBeVisible();
  const box = await clock.boundingBox();
  expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
  await expectNoSidewaysScroll(opo);
  await opo.goto(`/organs/${organ.organId}`);
  await expect(opo.getByTestId("timeline-event")).toHaveCount(1);
  await expectNoSidewaysScroll(opo);
  await expectAccessible(opo);
});

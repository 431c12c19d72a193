import { createAllocatedOrgan } from "../../test/factories/portal-db";
import { expect, expectAccessible, signInAs, test } from "../fixtures/auth";

test("a phone can keep the workspace on its home screen: manifest and icons are served and linked", async ({
  page,
  request,
}) => {
  await page.goto("/");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(href).toBe("/manifest.webmanifest");
  const res = await request.get(href as string);
  expect(res.status()).toBe(200);
  const manifest = (await res.json()) as {
    start_url: string;
    display: string;
    icons: Array<{ src: string; sizes: string; purpose?: string }>;
  };
  expect(manifest).toMatchObject({ start_url: "/home", display: "standalone" });
  expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  expect(manifest.icons.some((i) => i.purpose === "maskable")).toBe(true);
  for (const icon of manifest.icons) {
    const r = await request.get(icon.src);
    expect(r.status(), icon.src).toBe(200);
  }
  const apple = await page.locator('link[rel="apple-touch-icon"]').getAttribute("href");
  expect((await request.get(apple as string)).status()).toBe(200);
});

test("a printed label keeps the label only: no site header, menu or print button", async ({ page }) => {
  test.setTimeout(180_000);
  const organ = await createAllocatedOrgan();
  await signInAs(page, "OPO_COORDINATOR");
  await page.goto(`/organs/${organ.organId}/label`);
  await expect(page.getByTestId("organ-label")).toBeVisible();
  await expect(page.getByRole("banner")).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("banner")).toBeHidden();
  await expect(page.getByRole("navigation")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Print label" })).toBeHidden();
  await expect(page.getByTestId("organ-label")).toBeVisible();
  await page.emulateMedia({ media: "screen" });
  await page.setViewportSize({ width: 390, height: 844 });
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scroll).toBeLessThanOrEqual(390);
  await expectAccessible(page);
});

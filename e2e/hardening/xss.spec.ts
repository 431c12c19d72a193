import { randomBytes, randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { createAllocatedOrgan } from "../../test/factories/portal-db";
import { DEMO, DEMO_PASSWORD, expect, signInAs, test } from "../fixtures/auth";

/**
 * Stored XSS: script-bearing strings are saved in every free-text field a user can fill today
 * (custody locations, device readings, reasons; a donor's name and restrictions) and every page
 * that shows them is opened. A payload that ran would set window.__xss or open a dialog; the text
 * must instead appear literally.
 */
const PAYLOADS = [
  "<img src=x onerror=window.__xss=1>",
  `"><script>window.__xss=1</script>`,
  "<svg onload=window.__xss=1></svg>",
  "javascript:window.__xss=1",
  "'-alert(1)-'",
];
const tagged = (i: number) => `${PAYLOADS[i % PAYLOADS.length]} ${randomBytes(3).toString("hex")}`;

/** Opens `path` and fails if anything the payloads carry ran there. */
async function expectInert(page: Page, path: string, dialogs: string[]) {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  expect(
    await page.evaluate(() => (window as { __xss?: unknown }).__xss),
    `script ran on ${path}`,
  ).toBeUndefined();
  expect(dialogs, `a dialog opened on ${path}`).toEqual([]);
  // No payload became markup: an element it would create is not in the page.
  expect(await page.locator("img[src='x'], svg[onload]").count(), `markup injected on ${path}`).toBe(0);
}

async function post(page: Page, path: string, input: unknown) {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  return { status: res.status(), body: await res.text() };
}

function watchDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on("dialog", async (d) => {
    seen.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  return seen;
}

test("script in custody notes, locations and reasons is shown as text on every page that renders it", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const organ = await createAllocatedOrgan();
  const returned = await createAllocatedOrgan();
  const texts = {
    clamp: tagged(0),
    recovered: tagged(1),
    device: tagged(2),
    checkpoint: tagged(3),
    reason: tagged(1),
  };

  const opoContext = await browser.newContext();
  const opo = await opoContext.newPage();
  const opoDialogs = watchDialogs(opo);
  await signInAs(opo, "OPO_COORDINATOR");
  const step = async (
    organId: string,
    kind: string,
    details: Record<string, unknown>,
    minutesAgo: number,
  ) => {
    const res = await post(opo, "custody.recordEvent", {
      organId,
      clientEventId: randomUUID(),
      kind,
      reportedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      details,
    });
    expect(res.status, res.body).toBe(200);
  };
  for (const id of [organ.organId, returned.organId]) {
    await step(id, "CROSS_CLAMP", { location: texts.clamp }, 90);
    await step(id, "RECOVERED", { location: texts.recovered }, 60);
    await step(id, "PACKAGED", { location: texts.clamp, temperatureC: 4, deviceReading: texts.device }, 45);
  }
  await step(organ.organId, "CHECKPOINT", { location: texts.checkpoint, temperatureC: 5 }, 30);
  await step(returned.organId, "RETURNED", { reason: texts.reason }, 20);

  // The OPO's views of both organs; the text is there, as text.
  await expectInert(opo, `/organs/${organ.organId}`, opoDialogs);
  await expect(opo.getByText(texts.checkpoint).first()).toBeVisible();
  await expectInert(opo, `/organs/${returned.organId}`, opoDialogs);
  await expect(opo.getByText(texts.reason).first()).toBeVisible();
  await expectInert(opo, "/opo", opoDialogs);
  await expectInert(opo, `/organs/${organ.organId}/label`, opoDialogs);

  // The receiving centre's dashboard, and the regulator's provenance of each organ.
  for (const role of ["CENTER_COORDINATOR", "REGULATOR", "COURIER"] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs = watchDialogs(page);
    await signInAs(page, role);
    await expectInert(page, DEMO[role].home, dialogs);
    if (role === "REGULATOR") {
      await expectInert(page, "/regulator/organs", dialogs);
      for (const id of [organ.organId, returned.organId])
        await expectInert(page, `/regulator/organs/${id}`, dialogs);
    }
    if (role === "CENTER_COORDINATOR") await expectInert(page, `/organs/${organ.organId}`, dialogs);
    await context.close();
  }
  await opoContext.close();
});

test("script in a donor's name and restrictions is shown as text on their page, receipt and verification", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const tag = randomBytes(4).toString("hex");
  const email = `xss-${tag}@donor.test`;
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs = watchDialogs(page);
  await page.goto("/register");

  // Register through the API with a script in the name (a name may hold < and >).
  const fullName = `Ada ${PAYLOADS[0]} ${tag}`;
  const registered = await post(page, "consent.register", {
    fullName,
    dateOfBirth: "1981-03-04",
    identifier: { scheme: "UK_NHS", value: nhsNumber() },
    email,
    password: DEMO_PASSWORD,
  });
  // Names may hold < and > (only control characters are refused), so it is stored: and must be inert.
  expect(registered.status, registered.body).toBe(200);

  await signInAs(page, "DONOR", email);
  await expectInert(page, "/donor", dialogs);
  await expect(page.getByText(fullName).first()).toBeVisible();

  const restrictions = `${PAYLOADS[1]} ${PAYLOADS[2]} ${tag}`;
  const recorded = await post(page, "consent.recordDecision", {
    kind: "FIRST_PERSON",
    decision: "DONATE_ALL",
    purposes: ["TRANSPLANT"],
    restrictions,
  });
  expect(recorded.status, recorded.body).toBe(200);
  const receiptCode = String(JSON.parse(recorded.body).result.data.json.receiptCode);
  await expectInert(page, "/donor", dialogs);
  await expect(page.getByText(restrictions).first()).toBeVisible();
  await expectInert(page, `/receipt/${receiptCode}`, dialogs);
  await expectInert(page, `/verify/${receiptCode}`, dialogs);
  await context.close();
});

/** A valid NHS number (mod 11 check digit), new for every run. */
function nhsNumber(): string {
  for (;;) {
    const d = [...randomBytes(9)].map((b) => b % 10);
    const sum = d.reduce((acc, n, i) => acc + n * (10 - i), 0);
    const c = 11 - (sum % 11) === 11 ? 0 : 11 - (sum % 11);
    if (c !== 10) return [...d, c].join("");
  }
}

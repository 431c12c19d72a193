import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { createAllocatedOrgan, withClient } from "../../test/factories/portal-db";
import { expect, expectAccessible, signInAs, test } from "../fixtures/auth";

async function runAudit(page: Page) {
  await page.getByRole("button", { name: "Run whole-ledger audit" }).click();
  const bar = page.getByRole("progressbar", { name: "Audit progress" });
  await expect(bar).toBeVisible();
  await expect(page.getByRole("button", { name: "Run whole-ledger audit" })).toBeEnabled({ timeout: 60_000 });
  await expect(bar).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByTestId("audit-verdict")).toBeVisible();
}

test("a regulator runs the whole-ledger audit: clean, then an altered row is named with its check", async ({
  browser,
  page,
}) => {
  test.setTimeout(180_000);
  // A fresh custody event to alter later, recorded through the portal as a coordinator would.
  const organ = await createAllocatedOrgan();
  const opoContext = await browser.newContext();
  const opo = await opoContext.newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  const res = await opo.request.post("/api/trpc/custody.recordEvent", {
    data: {
      json: {
        organId: organ.organId,
        clientEventId: randomUUID(),
        kind: "CROSS_CLAMP",
        reportedAt: new Date().toISOString(),
        details: { location: "Audit General OR 1" },
      },
    },
  });
  expect(res.status(), await res.text()).toBe(200);
  await opoContext.close();
  const eventId = await withClient(async (c) => {
    const { rows } = await c.query<{ id: string }>(
      `SELECT id FROM "LedgerEvent" WHERE "subjectType" = 'organ' AND "subjectId" = $1 ORDER BY sequence DESC LIMIT 1`,
      [organ.organId],
    );
    return rows[0]?.id as string;
  });
  expect(eventId).toBeTruthy();

  await signInAs(page, "REGULATOR");
  await page.goto("/regulator");
  await page.getByRole("link", { name: "Whole-ledger audit" }).click();
  await expect(page.getByRole("heading", { name: "Whole-ledger audit" })).toBeVisible();

  await runAudit(page);
  await expect(page.getByTestId("audit-summary")).toContainText(/events and .* batches checked/);
  // The seeded ledger is intact (a data directory reused from an earlier run may hold that run's altered row).
  await expect(page.locator(`[data-testid="audit-finding"][data-event-id="${eventId}"]`)).toHaveCount(0);
  const before = await page.getByTestId("audit-finding").count();
  if (before === 0) await expect(page.getByTestId("audit-verdict")).toContainText("No breaks found");
  await expectAccessible(page);

  // Someone with database access changes the recorded location.
  await withClient(async (c) => {
    await c.query("BEGIN");
    await c.query("SET LOCAL session_replication_role = replica");
    await c.query(
      `UPDATE "LedgerEvent" SET payload = jsonb_set(payload, '{details,location}', '"Elsewhere"') WHERE id = $1`,
      [eventId],
    );
    await c.query("COMMIT");
  });

  await runAudit(page);
  await expect(page.getByTestId("audit-verdict")).toContainText("found");
  const finding = page.locator(`[data-testid="audit-finding"][data-event-id="${eventId}"]`);
  await expect(finding).toHaveCount(1);
  await expect(finding).toHaveAttribute("data-check", "hash");
  await expect(finding).toContainText(`organ:${organ.organId}`);
  // Named by the organ's number, linked to its provenance.
  const about = finding.getByTestId("finding-subject").getByRole("link", { name: new RegExp(organ.din) });
  await expect(about).toHaveAttribute("href", `/regulator/organs/${organ.organId}`);
  await expect(finding).toContainText("changed after it was recorded");
  await expect(finding.getByRole("link", { name: eventId })).toHaveAttribute("href", `/proof/${eventId}`);
  await expect(page.getByTestId("audit-finding")).toHaveCount(before + 1);
});

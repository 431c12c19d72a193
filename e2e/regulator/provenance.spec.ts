import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createAllocatedOrgan, withClient } from "../../test/factories/portal-db";
import { DEMO, expect, expectAccessible, signInAs, test } from "../fixtures/auth";
import { recordStep, recoverAndPackage } from "../fixtures/custody";

const dataDir = path.resolve(process.env.E2E_DATA_DIR ?? ".test-data/e2e");
const rpcUrl = () =>
  process.env.RPC_URL ?? readFileSync(path.join(dataDir, "anvil", "rpc-url"), "utf8").trim();

test("a regulator sees every step of an organ verified, downloads its bundle, and the offline verifier accepts it", async ({
  browser,
  page,
}) => {
  test.setTimeout(120_000);
  const organ = await createAllocatedOrgan();
  const opoContext = await browser.newContext();
  const opo = await opoContext.newPage();
  await signInAs(opo, "OPO_COORDINATOR");
  const clamp = new Date(Date.now() - 2 * 60 * 60_000);
  await recoverAndPackage(opo, organ.organId, {
    clamp,
    recoveredAfterMin: 25,
    packagedAfterMin: 40,
    location: "Provenance General OR 3",
  });
  await recordStep(opo, organ.organId, "HANDOFF_OFFERED", { toEmail: DEMO.COURIER.email });
  await opoContext.close();

  await signInAs(page, "REGULATOR");
  await page.goto("/regulator/organs");
  await page.getByRole("link", { name: organ.din }).click();
  await expect(page.getByRole("heading", { name: /Provenance of kidney/ })).toBeVisible();
  // Anchoring runs every second; once it has, every step passes every check.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("provenance-verdict")).toContainText("Every step verified", {
      timeout: 1000,
    });
    await expect(page.locator('[data-result="pending"]')).toHaveCount(0, { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  const steps = page.getByTestId("provenance-step");
  await expect(steps).toHaveCount(4);
  await expect(page.locator('[data-result="FAIL"]')).toHaveCount(0);
  await expectAccessible(page);

  // The bundle verifies with nothing but the chain.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download audit bundle" }).click();
  const file = await (await download).path();
  const bundle = JSON.parse(readFileSync(file, "utf8"));
  expect(bundle.scope.kind).toBe("subjects");
  // The page says how to verify it elsewhere, and what it says works: chain, contract, RPC, command.
  const panel = page.getByTestId("verify-yourself");
  expect(bundle.chain.chainId).toBe("31337");
  await expect(panel.getByTestId("verify-chain-id")).toHaveText(bundle.chain.chainId);
  await expect(panel.getByTestId("verify-contract")).toHaveText(bundle.chain.contract);
  if (!process.env.RPC_URL) await expect(panel.getByTestId("verify-rpc")).toHaveText(rpcUrl());
  const command = (await panel.getByTestId("verify-command").textContent())?.trim() ?? "";
  const [, , , , ...args] = command.split(/\s+/); // npm run verify -- <file> --rpc <url> --confirmations <n>
  expect(command).toMatch(/^npm run verify -- audit-bundle-organ-\S+\.json --rpc \S+ --confirmations 1$/);
  const out = execFileSync(
    "node_modules/.bin/tsx",
    [
      "--import",
      "./scripts/server-only.mjs",
      "scripts/verify-bundle.ts",
      file,
      ...args.slice(1).map((a) => (a.startsWith("<") ? rpcUrl() : a)),
    ],
    { encoding: "utf8" },
  );
  expect(out).toContain("✔ VERIFIED");

  // The same organ as a FHIR R4 Bundle of Provenance and AuditEvent resources.
  const fhir = await page.request.get(`/api/regulator/fhir/organ/${organ.organId}`);
  expect(fhir.status()).toBe(200);
  expect(fhir.headers()["content-disposition"]).toBe(
    `attachment; filename="organ-${organ.organId}-fhir.json"`,
  );
  expect((await fhir.json()).resourceType).toBe("Bundle");

  // Someone alters a custody record in the database: the timeline names the step.
  await withClient(async (c) => {
    await c.query("BEGIN");
    await c.query("SET LOCAL session_replication_role = replica");
    await c.query(
      `UPDATE "LedgerEvent" SET payload = jsonb_set(payload, '{details,temperatureC}', '9') WHERE "subjectType" = 'organ' AND "subjectId" = $1 AND sequence = 3`,
      [organ.organId],
    );
    await c.query("COMMIT");
  });
  await page.reload();
  await expect(page.getByTestId("provenance-verdict")).toContainText("problem");
  await expect(page.locator('[data-check="hash"][data-result="FAIL"]')).toHaveCount(1);
});

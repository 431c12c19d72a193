import { createAllocatedOrgan } from "../../test/factories/portal-db";
import { expect, expectAccessible, signInAs, test } from "../fixtures/auth";

test("an OPO closes a donor case with a reason after confirming; the case then offers no match run", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const organ = await createAllocatedOrgan();
  await signInAs(page, "OPO_COORDINATOR");
  await page.goto(`/opo/cases/${organ.caseId}`);
  await page.getByRole("button", { name: "Close the case" }).click();
  const dialog = page.getByRole("dialog", { name: /Close case/ });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  // "Other" needs a note.
  await dialog.getByLabel("Reason").selectOption("OTHER");
  await dialog.getByRole("button", { name: "Close the case" }).click();
  await expect(dialog.getByText("say why the case is closed")).toBeVisible();
  await dialog.getByLabel("Reason").selectOption("ALL_ORGANS_PLACED");
  await dialog.getByRole("button", { name: "Close the case" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("case-closed")).toContainText("Every organ placed or accounted for");
  await expect(page.getByRole("button", { name: "Close the case" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Run the match/ })).toHaveCount(0);
});

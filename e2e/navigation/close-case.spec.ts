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

test("an OPO erases a closed case's closing note after typing ERASE; the page then says it was erased", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const organ = await createAllocatedOrgan();
  const words = `Family told by Dr ${Date.now().toString(36)} in the relatives' room`;
  await signInAs(page, "OPO_COORDINATOR");
  await page.goto(`/opo/cases/${organ.caseId}`);
  await page.getByRole("button", { name: "Close the case" }).click();
  const close = page.getByRole("dialog", { name: /Close case/ });
  await close.getByLabel("Reason").selectOption("OTHER");
  await close.getByLabel(/Note/).fill(words);
  await close.getByRole("button", { name: "Close the case" }).click();
  await expect(close).toBeHidden();
  const note = page.getByTestId("case-closing-note");
  await expect(note).toContainText(words);

  await note.getByRole("button", { name: "erase note" }).click();
  const dialog = page.getByRole("dialog", { name: /Erase the closing note/ });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  // Without the typed confirmation nothing is erased.
  await dialog.getByRole("button", { name: "Erase the note" }).click();
  await expect(dialog.getByText("type ERASE to confirm", { exact: true })).toBeVisible();
  await dialog.getByLabel("Type ERASE to confirm").fill("ERASE");
  await dialog.getByRole("button", { name: "Erase the note" }).click();
  await expect(dialog).toBeHidden();
  await expect(note).toContainText("(note erased)");
  await expect(note).not.toContainText(words);
  await expect(note.getByRole("button", { name: "erase note" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("case-closing-note")).toContainText("(note erased)");
});

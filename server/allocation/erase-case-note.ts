import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { actorOf } from "@/server/consent/donor-record";
import { eraseAndRotate, type TErasureKeys } from "@/server/consent/erase-and-rotate";
import { erasePrivateNote } from "@/server/consent/private-note";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";

const notFound = () =>
  new AppError("NOT_FOUND", "donorCaseId: no such donor case", { donorCaseId: "no such donor case" });

/**
 * Erases a closed donor case's closing note, e.g. when it named a person: the encrypted note is
 * shredded (and an older row's plain-text note cleared), the case keeps its reason's code, a
 * `donor_case.note_erased` event is appended to the case's chain and the key-encryption key is
 * rotated. Only the OPO that owns the case may erase; anyone else is told there is no such case.
 */
export async function eraseDonorCaseNote({
  donorCaseId,
  user,
  now = new Date(),
  keys,
}: {
  donorCaseId: string;
  user: TSessionUser;
  now?: Date;
  keys?: TErasureKeys;
}) {
  return eraseAndRotate(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM "DonorCase" WHERE id = ${donorCaseId}::uuid FOR UPDATE`;
    const c = await tx.donorCase.findUnique({
      where: { id: donorCaseId },
      select: { id: true, opoId: true, closedNoteId: true, closedNote: true },
    });
    if (!c || !user.organisationId || c.opoId !== user.organisationId) throw notFound();
    const live = c.closedNoteId
      ? await tx.privateNote.count({ where: { id: c.closedNoteId, ciphertext: { not: null } } })
      : 0;
    const legacy = c.closedNote !== null;
    if (live === 0 && !legacy)
      throw new AppError("CONFLICT", "donorCaseId: this case has no closing note left to erase");
    if (c.closedNoteId && live > 0) await erasePrivateNote({ tx, id: c.closedNoteId });
    // A case closed before notes were encrypted kept the words in its row: cleared too.
    if (legacy) await tx.donorCase.update({ where: { id: c.id }, data: { closedNote: null } });
    await appendEvent({
      tx,
      subject: { type: "donor_case", id: c.id },
      type: "donor_case.note_erased",
      payload: { donorCaseId: c.id },
      actor: actorOf(user),
      now,
    });
    return { donorCaseId: c.id, noteErased: true as const };
  }, keys);
}

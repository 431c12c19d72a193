import "server-only";

import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { lockDataKeysShared } from "@/server/consent/key-lock";
import { recordPrivateNote } from "@/server/consent/private-note";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";

import { CASE_CLOSE_REASONS, type TCaseCloseReason } from "./close-donor-case-reasons";

export { CASE_CLOSE_REASONS };

export const ZCloseDonorCaseSchema = z.object({
  donorCaseId: z.uuid("donorCaseId must be a donor case id"),
  reasonCode: z.enum(Object.keys(CASE_CLOSE_REASONS) as [TCaseCloseReason], {
    error: "reasonCode: choose why the case is closed",
  }),
  note: z.string().trim().max(500, "note is at most 500 characters").optional(),
});
export type TCloseDonorCase = z.infer<typeof ZCloseDonorCaseSchema>;

/**
 * Closes one of the OPO's open donor cases with a reason, as a `donor_case.closed` ledger event in
 * the same transaction. Refused while an offer is open (withdraw or let it be answered first);
 * organs already placed keep their custody journey. A closed case runs no further match.
 */
export async function closeDonorCase(opts: { input: TCloseDonorCase; user: TSessionUser; now?: Date }) {
  const { input, user } = opts;
  const now = opts.now ?? new Date();
  if (input.reasonCode === "OTHER" && !input.note)
    throw new AppError("BAD_REQUEST", "note: say why the case is closed", {
      note: "say why the case is closed",
    });
  return withTransaction(async (tx) => {
    // A note wraps a new data key: the key lock first (before any row lock), as every writer takes it.
    if (input.note) await lockDataKeysShared(tx);
    await tx.$executeRaw`SELECT 1 FROM "DonorCase" WHERE id = ${input.donorCaseId}::uuid FOR UPDATE`;
    const c = await tx.donorCase.findUnique({
      where: { id: input.donorCaseId },
      include: {
        organs: { select: { din: true, offers: { where: { status: "PENDING" }, select: { id: true } } } },
      },
    });
    if (!c || c.opoId !== user.organisationId)
      throw new AppError("NOT_FOUND", "donorCaseId: no such donor case");
    if (c.status === "CLOSED") throw new AppError("CONFLICT", "donorCaseId: this case is already closed");
    const offering = c.organs.filter((o) => o.offers.length > 0).map((o) => o.din);
    if (offering.length)
      throw new AppError(
        "CONFLICT",
        `donorCaseId: offers are still open for ${offering.join(", ")}; wait for the answers or withdraw them first`,
      );
    // The note may name people: an encrypted, erasable note, never plain text in the case's row.
    const note = input.note ? await recordPrivateNote({ tx, text: input.note }) : null;
    await tx.donorCase.update({
      where: { id: c.id },
      data: {
        status: "CLOSED",
        closedAt: now,
        closedReasonCode: input.reasonCode,
        closedNoteId: note?.id ?? null,
      },
    });
    await appendEvent({
      tx,
      subject: { type: "donor_case", id: c.id },
      type: "donor_case.closed",
      payload: { donorCaseId: c.id, reasonCode: input.reasonCode },
      actor: { userId: user.id, role: user.role, orgId: user.organisationId },
      now,
    });
    return { donorCaseId: c.id, status: "CLOSED" as const };
  });
}

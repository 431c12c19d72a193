import "server-only";

import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { actorOf } from "@/server/consent/donor-record";
import { eraseAndRotate, type TErasureKeys } from "@/server/consent/erase-and-rotate";
import { erasePrivateNote } from "@/server/consent/private-note";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";

const notFound = () => new AppError("NOT_FOUND", "offerId: no such offer", { offerId: "no such offer" });

/**
 * What an answer or an out-of-sequence event says of its note: version 2 refers to a `PrivateNote`
 * by id (`note` on an answer, `reason` on a bypass); version 1 carried the text, with nothing to erase.
 */
const ZNotedOfferPayloadSchema = z.object({
  reasonCode: z.string().optional(),
  note: z.unknown().optional(),
  reason: z.unknown().optional(),
});
const ZNoteRefSchema = z.object({ id: z.string().min(1) });

/**
 * Erases an offer's free text (a refusal's note, an out-of-sequence reason), e.g. when it named a
 * person: the notes its ledger events commit to are shredded, the offer row keeps the refusal's code
 * only, an `offer.notes_erased` event is appended and the key-encryption key is rotated. Either party
 * to the offer may erase: the OPO that made it (its out-of-sequence reason) or the centre it was made
 * to (its refusal's note); anyone else is told there is no such offer. The events stay and verify.
 */
export async function eraseOfferNotes({
  offerId,
  user,
  now = new Date(),
  keys,
}: {
  offerId: string;
  user: TSessionUser;
  now?: Date;
  keys?: TErasureKeys;
}) {
  return eraseAndRotate(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM "Offer" WHERE id = ${offerId}::uuid FOR UPDATE`;
    const offer = await tx.offer.findUnique({
      where: { id: offerId },
      select: {
        id: true,
        organId: true,
        centerId: true,
        bypassReason: true,
        organ: { select: { donorCase: { select: { opoId: true } } } },
      },
    });
    const org = user.organisationId;
    const party =
      (user.role === "OPO_COORDINATOR" && offer?.organ.donorCase.opoId === org) ||
      (user.role === "CENTER_COORDINATOR" && offer?.centerId === org);
    if (!offer || !org || !party) throw notFound();
    const events = await tx.ledgerEvent.findMany({
      where: { subjectType: "offer", subjectId: offerId, type: { in: ["offer.answered", "offer.bypassed"] } },
      select: { type: true, payload: true },
    });
    let reasonCode: string | null = null;
    const noteIds: string[] = [];
    for (const e of events) {
      const p = ZNotedOfferPayloadSchema.parse(e.payload);
      if (e.type === "offer.answered" && p.reasonCode) reasonCode = p.reasonCode;
      const ref = ZNoteRefSchema.safeParse(e.type === "offer.answered" ? p.note : p.reason);
      if (ref.success) noteIds.push(ref.data.id);
    }
    const live = await tx.privateNote.count({ where: { id: { in: noteIds }, ciphertext: { not: null } } });
    if (live === 0) throw new AppError("CONFLICT", "offerId: this offer has no note left to erase");
    for (const id of noteIds) await erasePrivateNote({ tx, id });
    await tx.offer.update({
      where: { id: offerId },
      data: {
        refusalReason: reasonCode,
        // Still marked out of sequence (the regulator's list), without the words.
        ...(offer.bypassReason !== null ? { bypassReason: "(reason erased)" } : {}),
      },
    });
    await appendEvent({
      tx,
      subject: { type: "offer", id: offerId },
      type: "offer.notes_erased",
      payload: { offerId, organId: offer.organId, notesErased: live },
      actor: actorOf(user),
      now,
    });
    return { offerId, notesErased: live };
  }, keys);
}

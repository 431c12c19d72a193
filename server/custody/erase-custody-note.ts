import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { actorOf } from "@/server/consent/donor-record";
import { eraseAndRotate, type TErasureKeys } from "@/server/consent/erase-and-rotate";
import { erasePrivateNote } from "@/server/consent/private-note";
import { AppError } from "@/server/errors";
import type { Prisma } from "@/server/generated/prisma/client";
import { appendEvent } from "@/server/ledger/append-event";

const notFound = () =>
  new AppError("NOT_FOUND", "custodyEventId: no such custody step", {
    custodyEventId: "no such custody step",
  });

/**
 * Erases a custody step's free text (a place's name, a device's label, a reason), e.g. when it
 * named a person: the note its ledger event commits to is shredded, the step's working row and the
 * organ's state keep the readings, times and ids only, a `custody.note_erased` event is appended to
 * the organ's chain and the key-encryption key is rotated. The organisation that recorded the step,
 * or the OPO that recovered the organ, may erase; anyone else is told there is no such step.
 */
export async function eraseCustodyNote({
  custodyEventId,
  user,
  now = new Date(),
  keys,
}: {
  custodyEventId: string;
  user: TSessionUser;
  now?: Date;
  keys?: TErasureKeys;
}) {
  return eraseAndRotate(async (tx) => {
    const step = await tx.custodyEvent.findUnique({
      where: { id: custodyEventId },
      include: { organ: { select: { donorCase: { select: { opoId: true } } } } },
    });
    const org = user.organisationId;
    if (!step || !org || (step.actorOrgId !== org && step.organ.donorCase.opoId !== org)) throw notFound();
    // The organ's row lock, as a step being recorded takes it: its state is not rewritten under us.
    await tx.$executeRaw`SELECT 1 FROM "Organ" WHERE id = ${step.organId}::uuid FOR UPDATE`;
    const event = await tx.ledgerEvent.findUniqueOrThrow({ where: { id: step.ledgerEventId } });
    const noteId = (event.payload as { note?: { id?: string } }).note?.id;
    const live = noteId
      ? await tx.privateNote.count({ where: { id: noteId, ciphertext: { not: null } } })
      : 0;
    if (!noteId && event.schemaVersion === 1)
      throw new AppError(
        "CONFLICT",
        "custodyEventId: this step was recorded before notes were kept off the ledger: its words are part of the permanent ledger, which is never rewritten, so they cannot be erased",
      );
    if (!noteId || live === 0)
      throw new AppError("CONFLICT", "custodyEventId: this step has no note left to erase");
    await erasePrivateNote({ tx, id: noteId });
    const {
      location,
      deviceReading,
      reason: _reason,
      ...kept
    } = (step.details ?? {}) as Record<string, unknown>;
    const details: Record<string, unknown> = { ...kept };
    if (location && typeof location === "object") {
      const { label: _label, ...coordinates } = location as Record<string, unknown>;
      details.location = coordinates;
    }
    if (deviceReading && typeof deviceReading === "object") {
      const { deviceId: _deviceId, ...readings } = deviceReading as Record<string, unknown>;
      details.deviceReading = readings;
    }
    await tx.custodyEvent.update({
      where: { id: step.id },
      data: { details: details as Prisma.InputJsonValue },
    });
    // The organ's state keeps the last outcome's reason as text: cleared with the note.
    await tx.$executeRaw`
      UPDATE "Organ" SET "custodyState" = jsonb_set("custodyState"::jsonb, '{outcomeReason}', 'null')
      WHERE id = ${step.organId}::uuid AND "custodyState" IS NOT NULL AND ${typeof _reason === "string"}`;
    await appendEvent({
      tx,
      subject: { type: "organ", id: step.organId },
      type: "custody.note_erased",
      payload: { custodyEventId, organId: step.organId, sequence: step.sequence },
      actor: actorOf(user),
      now,
    });
    return { custodyEventId, noteErased: true };
  }, keys);
}

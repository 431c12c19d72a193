import "server-only";

import { recordPrivateNote, type TNoteRef } from "@/server/consent/private-note";
import type { Tx } from "@/server/db";
import type { OrganType } from "@/server/generated/prisma/client";
import { appendEvent, type TActor } from "@/server/ledger/append-event";
import { room } from "@/server/live/publish";
import type { TOfferUpdate } from "./publish-offer-updates";
import type { TStoredRankedRow, TStoredRanking } from "./stored-ranking";

const MS_PER_MINUTE = 60_000;

/** The run offering, its organ, and the organ's OPO (whose room hears of every offer). */
export type TOfferingRun = {
  run: { id: string; ranking: TStoredRanking };
  organ: { id: string; type: OrganType; din: string; opoId: string };
};

/**
 * Sends offers to the given ranked rows with the policy's deadline: each an `offer.sent` event
 * (and `offer.bypassed` first when ranks above are skipped); the organ is then OFFERING. Returns
 * the live updates to push after the commit.
 */
export async function createOffers({
  tx,
  run,
  organ,
  rows,
  actor,
  now,
  bypass,
}: TOfferingRun & {
  tx: Tx;
  rows: TStoredRankedRow[];
  actor: TActor;
  now: Date;
  bypass?: { reason: string; skippedRanks: number[] };
}): Promise<TOfferUpdate[]> {
  const deadline = new Date(now.getTime() + run.ranking.offer.responseMinutes * MS_PER_MINUTE);
  const updates: TOfferUpdate[] = [];
  // The stated reason stays off the ledger: one erasable note, committed to by each bypass event.
  const reasonNote = bypass ? await recordPrivateNote({ tx, text: bypass.reason }) : null;
  for (const row of rows) {
    const candidate = await tx.candidate.findUniqueOrThrow({
      where: { id: row.candidateId },
      select: { code: true },
    });
    const offer = await tx.offer.create({
      data: {
        organId: organ.id,
        matchRunId: run.id,
        candidateId: row.candidateId,
        centerId: row.centreId,
        rank: row.rank,
        sentAt: now,
        deadline,
        // The reason's text only in its encrypted note, never in plain text in this row.
        bypassNoteId: reasonNote?.id ?? null,
      },
    });
    if (bypass) {
      await appendEvent({
        tx,
        subject: { type: "offer", id: offer.id },
        type: "offer.bypassed",
        payload: {
          offerId: offer.id,
          organId: organ.id,
          skippedRanks: bypass.skippedRanks,
          reason: reasonNote as TNoteRef,
        },
        actor,
        now,
      });
    }
    await appendEvent({
      tx,
      subject: { type: "offer", id: offer.id },
      type: "offer.sent",
      payload: {
        offerId: offer.id,
        organId: organ.id,
        matchRunId: run.id,
        candidateCode: candidate.code,
        centerId: row.centreId,
        rank: row.rank,
        deadline: deadline.toISOString(),
      },
      actor,
      now,
    });
    updates.push({
      rooms: [room.organisation(row.centreId), room.organisation(organ.opoId)],
      payload: {
        offerId: offer.id,
        organId: organ.id,
        status: "PENDING",
        din: organ.din,
        organType: organ.type,
        rank: row.rank,
      },
    });
  }
  await tx.organ.update({ where: { id: organ.id }, data: { status: "OFFERING" } });
  return updates;
}

import "server-only";

import { prisma, withTransaction } from "@/server/db";
import { appendEvent, SYSTEM_ACTOR } from "@/server/ledger/append-event";
import { room } from "@/server/live/publish";
import { lockOrgan } from "./lock-organ";
import { publishOfferUpdates, type TOfferUpdate } from "./publish-offer-updates";
import { advanceOffersInTx } from "./send-next-offers";

/** Overdue offers expired per sweep; the rest wait for the next one. */
const EXPIRE_BATCH = 500;

/**
 * Expires every open offer past its deadline (one transaction each) and, when an organ then has
 * no open offer, sends the next in rank order. Run by the sweeper; `now` is injectable for tests.
 */
export async function expireOverdueOffers({
  now = new Date(),
}: {
  now?: Date;
} = {}): Promise<{ expired: number; sent: number }> {
  const overdue = await prisma.offer.findMany({
    where: { status: "PENDING", deadline: { lte: now } },
    orderBy: { deadline: "asc" },
    take: EXPIRE_BATCH,
    select: { id: true },
  });
  let expired = 0;
  let sent = 0;
  for (const { id } of overdue) {
    const updates = await withTransaction(async (tx): Promise<TOfferUpdate[]> => {
      const offer = await tx.offer.findUniqueOrThrow({
        where: { id },
        include: { organ: { include: { donorCase: true } } },
      });
      await lockOrgan(tx, offer.organId);
      const done = await tx.offer.updateMany({
        where: { id, status: "PENDING", deadline: { lte: now } },
        data: { status: "EXPIRED", respondedAt: now },
      });
      if (done.count === 0) return [];
      expired++;
      await appendEvent({
        tx,
        subject: { type: "offer", id },
        type: "offer.expired",
        payload: { offerId: id, organId: offer.organId },
        actor: SYSTEM_ACTOR,
        now,
      });
      const out: TOfferUpdate[] = [
        {
          rooms: [room.organisation(offer.centerId), room.organisation(offer.organ.donorCase.opoId)],
          payload: { offerId: id, organId: offer.organId, status: "EXPIRED" },
        },
      ];
      if (!(await tx.offer.count({ where: { organId: offer.organId, status: "PENDING" } }))) {
        const next = await advanceOffersInTx(tx, offer.matchRunId, now, SYSTEM_ACTOR);
        sent += next.length;
        out.push(...next);
      }
      return out;
    });
    publishOfferUpdates(updates);
  }
  return { expired, sent };
}

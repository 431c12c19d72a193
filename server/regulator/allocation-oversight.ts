import "server-only";

import { offerTexts } from "@/server/allocation/offer-notes";
import { prisma } from "@/server/db";

/**
 * Allocations out of match-run order: every offer that skipped higher-ranked candidates, with the
 * reason recorded when it was sent, and the ranks it skipped (from its `offer.bypassed` event).
 */
export async function listBypassedOffers({ limit = 200 }: { limit?: number } = {}) {
  const offers = await prisma.offer.findMany({
    where: { OR: [{ bypassReason: { not: null } }, { bypassNoteId: { not: null } }] },
    orderBy: { sentAt: "desc" },
    take: limit,
    select: {
      id: true,
      rank: true,
      status: true,
      sentAt: true,
      bypassReason: true,
      bypassNoteId: true,
      refusalReason: true,
      refusalNoteId: true,
      matchRunId: true,
      organ: { select: { id: true, din: true, type: true } },
      center: { select: { name: true } },
      candidate: { select: { code: true } },
    },
  });
  const events = await prisma.ledgerEvent.findMany({
    where: {
      type: "offer.bypassed",
      OR: offers.map((o) => ({ payload: { path: ["offerId"], equals: o.id } })),
    },
    select: { id: true, payload: true },
  });
  const byOffer = new Map(
    events.map((e) => {
      const p = e.payload as { offerId: string; skippedRanks?: number[] };
      return [p.offerId, { eventId: e.id, skippedRanks: p.skippedRanks ?? [] }];
    }),
  );
  const texts = await offerTexts(offers);
  return offers.map((o) => ({
    offerId: o.id,
    organId: o.organ.id,
    din: o.organ.din,
    organType: o.organ.type,
    matchRunId: o.matchRunId,
    rank: o.rank,
    status: o.status,
    sentAt: o.sentAt,
    centre: o.center.name,
    candidateCode: o.candidate.code,
    reason: texts.get(o.id)?.bypassReason ?? "",
    skippedRanks: byOffer.get(o.id)?.skippedRanks ?? [],
    ledgerEventId: byOffer.get(o.id)?.eventId ?? null,
  }));
}

/** Every recorded match run, newest first, for regulators to pick one to replay. */
export async function listMatchRuns({ limit = 200 }: { limit?: number } = {}) {
  const runs = await prisma.matchRun.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      policyId: true,
      policyVersion: true,
      createdAt: true,
      snapshotHash: true,
      ledgerEventId: true,
      organ: { select: { id: true, din: true, type: true } },
      _count: { select: { offers: true } },
    },
  });
  return runs.map((r) => ({
    matchRunId: r.id,
    organId: r.organ.id,
    din: r.organ.din,
    organType: r.organ.type,
    policy: `${r.policyId} v${r.policyVersion}`,
    createdAt: r.createdAt,
    snapshotHash: r.snapshotHash,
    ledgerEventId: r.ledgerEventId,
    offers: r._count.offers,
  }));
}

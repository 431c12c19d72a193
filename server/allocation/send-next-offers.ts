import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { actorOf } from "@/server/consent/donor-record";
import { type Tx, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import type { TActor } from "@/server/ledger/append-event";
import { assertOpoOwnsRun } from "./assert-opo-owns-run";
import { createOffers } from "./create-offers";
import { openRunForOffers } from "./open-run-for-offers";
import { publishOfferUpdates, type TOfferUpdate } from "./publish-offer-updates";

/** Candidates not yet offered that are checked for eligibility at a time (the head holds them unless offers went deep). */
const LOOK_AHEAD = 200;

/**
 * The next offers of a match run, in rank order: one (sequential) or the policy's top N, skipping
 * candidates already offered, no longer active, or already holding an accepted organ of this type.
 * `superseded` when a newer run exists for the organ, `none-left` when nobody is left to offer to.
 */
async function pickNextOffers(tx: Tx, matchRunId: string) {
  const { ranked, offered, run, organ } = await openRunForOffers(tx, matchRunId);
  const latest = await tx.matchRun.findFirst({
    where: { organId: organ.id },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (latest?.id !== run.id) return { kind: "superseded" } as const;
  let remaining = ranked.head.filter((r) => !offered.has(r.candidateId));
  if (remaining.length < LOOK_AHEAD) remaining = ranked.all().filter((r) => !offered.has(r.candidateId));
  const eligible = new Set(
    (
      await tx.candidate.findMany({
        where: {
          id: { in: remaining.slice(0, LOOK_AHEAD).map((r) => r.candidateId) },
          status: "ACTIVE",
          acceptances: { none: { organType: organ.type } },
        },
        select: { id: true },
      })
    ).map((c) => c.id),
  );
  const count = run.ranking.offer.mode === "topN" ? run.ranking.offer.topN : 1;
  const rows = remaining.filter((r) => eligible.has(r.candidateId)).slice(0, count);
  if (rows.length === 0) return { kind: "none-left" } as const;
  return { kind: "rows", rows, run, organ } as const;
}

/** Sends the next offers of a run, refusing when a newer run exists or nobody is left. */
async function nextOffersInTx(tx: Tx, matchRunId: string, actor: TActor, now: Date): Promise<TOfferUpdate[]> {
  const next = await pickNextOffers(tx, matchRunId);
  if (next.kind === "superseded")
    throw new AppError("CONFLICT", "a newer match run exists for this organ: offer from that one");
  if (next.kind === "none-left")
    throw new AppError("PRECONDITION_FAILED", "no ranked candidate is left to offer this organ to");
  return createOffers({ tx, run: next.run, organ: next.organ, rows: next.rows, actor, now });
}

/**
 * After a refusal or an expiry left the organ with no open offer: the next offers of the same run,
 * sent by the system. Nothing is sent (and nothing refused) when a newer run took over the organ or
 * nobody is left to offer to; any other failure is the transaction's.
 */
export async function advanceOffersInTx(tx: Tx, matchRunId: string, now: Date, actor: TActor) {
  const next = await pickNextOffers(tx, matchRunId);
  if (next.kind !== "rows") return [];
  return createOffers({ tx, run: next.run, organ: next.organ, rows: next.rows, actor, now });
}

/** Sends the next offers of a match run (OPO coordinator). */
export async function sendNextOffers({
  matchRunId,
  user,
  now = new Date(),
}: {
  matchRunId: string;
  user: TSessionUser;
  now?: Date;
}) {
  await assertOpoOwnsRun(matchRunId, user);
  const updates = await withTransaction((tx) => nextOffersInTx(tx, matchRunId, actorOf(user), now));
  publishOfferUpdates(updates);
  return { offers: updates.map((u) => u.payload.offerId) };
}

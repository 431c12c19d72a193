import "server-only";

import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { actorOf } from "@/server/consent/donor-record";
import { lockDataKeysShared } from "@/server/consent/key-lock";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { assertOpoOwnsRun } from "./assert-opo-owns-run";
import { createOffers } from "./create-offers";
import { openRunForOffers } from "./open-run-for-offers";
import { publishOfferUpdates } from "./publish-offer-updates";

/** A bypass reason long enough to say why (and short enough for the ledger). */
const REASON_MIN = 10;
const REASON_MAX = 1000;

export const ZOfferOutOfSequenceSchema = z.object({
  matchRunId: z.uuid("matchRunId must be a match run id"),
  candidateId: z.uuid("candidateId must be a candidate id"),
  reason: z
    .string({ error: "give the reason for placing out of sequence" })
    .trim()
    .min(REASON_MIN, `explain why this organ is placed out of sequence (${REASON_MIN} characters at least)`)
    .max(REASON_MAX, `the reason is too long (${REASON_MAX} characters at most)`),
});

/** Offers to a candidate ranked below others not yet offered: a recorded bypass reason is required. */
export async function offerOutOfSequence({
  input,
  user,
  now = new Date(),
}: {
  input: z.output<typeof ZOfferOutOfSequenceSchema>;
  user: TSessionUser;
  now?: Date;
}) {
  await assertOpoOwnsRun(input.matchRunId, user);
  const { updates, skipped } = await withTransaction(async (tx) => {
    // The reason's note wraps a new data key: the key lock before any row lock, as every writer takes it.
    await lockDataKeysShared(tx);
    const { ranked, offered, run, organ } = await openRunForOffers(tx, input.matchRunId);
    // Ranked in the head, the head holds every rank above too.
    const rows = ranked.holding([input.candidateId]);
    const row = rows.find((r) => r.candidateId === input.candidateId);
    if (!row)
      throw new AppError("BAD_REQUEST", "this candidate is not in the match run's ranking", {
        candidateId: "not ranked in this run",
      });
    if (offered.has(row.candidateId))
      throw new AppError("CONFLICT", "this candidate was already offered the organ");
    const skippedRanks = rows
      .filter((r) => r.rank < row.rank && !offered.has(r.candidateId))
      .map((r) => r.rank);
    if (skippedRanks.length === 0) {
      throw new AppError("BAD_REQUEST", "this candidate is next in sequence: send the offer normally", {
        candidateId: "next in sequence",
      });
    }
    const updates = await createOffers({
      tx,
      run,
      organ,
      rows: [row],
      actor: actorOf(user),
      now,
      bypass: { reason: input.reason, skippedRanks },
    });
    return { updates, skipped: skippedRanks.length };
  });
  publishOfferUpdates(updates);
  const [sent] = updates;
  if (!sent) throw new Error("an out-of-sequence offer was recorded without its update");
  return { offerId: sent.payload.offerId, skippedRanks: skipped };
}

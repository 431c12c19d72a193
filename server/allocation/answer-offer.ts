import "server-only";

import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { actorOf } from "@/server/consent/donor-record";
import { lockDataKeysShared } from "@/server/consent/key-lock";
import { recordPrivateNote } from "@/server/consent/private-note";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { appendEvent, SYSTEM_ACTOR } from "@/server/ledger/append-event";
import { room } from "@/server/live/publish";
import { requestDecisionSignature } from "@/server/passkey/decision-signature";
import { lockOrgan } from "./lock-organ";
import { publishOfferUpdates, type TOfferUpdate } from "./publish-offer-updates";
import { REFUSAL_REASONS } from "./refusal-reasons";
import { advanceOffersInTx } from "./send-next-offers";

const REASON_CODES = Object.keys(REFUSAL_REASONS) as [
  keyof typeof REFUSAL_REASONS,
  ...(keyof typeof REFUSAL_REASONS)[],
];
const NOTE_MAX = 1000;
/** Prisma's code for a unique constraint refused (here CandidateAcceptance's primary key). */
const UNIQUE_VIOLATION = "P2002";

export const ZAnswerOfferSchema = z
  .object({
    offerId: z.uuid("offerId must be an offer id"),
    answer: z.enum(["ACCEPT", "REFUSE"], { error: "answer ACCEPT or REFUSE" }),
    reasonCode: z
      .enum(REASON_CODES, { error: `choose a refusal reason: ${REASON_CODES.join(", ")}` })
      .optional(),
    note: z.string().trim().max(NOTE_MAX, `the note is too long (${NOTE_MAX} characters at most)`).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.answer === "REFUSE" && !a.reasonCode) {
      ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "a refusal needs a reason code" });
    }
  });

/**
 * A centre coordinator's answer. Exactly one acceptance per organ: the offer must still be open
 * (conditional update), the organ must have no accepted offer (conditional update on
 * `acceptedOfferId`), and the candidate may hold no other accepted organ of this type (primary key
 * of CandidateAcceptance) — whichever of fifty concurrent accepts commits first wins; the others get
 * a clear refusal and change nothing. A refusal with no other open offer sends the next one.
 */
export async function answerOffer({
  input,
  user,
  now = new Date(),
}: {
  input: z.output<typeof ZAnswerOfferSchema>;
  user: TSessionUser;
  now?: Date;
}) {
  const updates: TOfferUpdate[] = [];
  const status: "ACCEPTED" | "REFUSED" = input.answer === "ACCEPT" ? "ACCEPTED" : "REFUSED";
  const result = await withTransaction(async (tx) => {
    // A note wraps a new data key: the key lock first (before any row lock), as every writer takes it.
    if (input.note) await lockDataKeysShared(tx);
    const offer = await tx.offer.findUnique({
      where: { id: input.offerId },
      include: { organ: { include: { donorCase: true } } },
    });
    if (!offer || offer.centerId !== user.organisationId)
      throw new AppError("NOT_FOUND", "no such offer to your centre");
    // Every answer for this organ queues here first, so concurrent accepts never deadlock on offer rows.
    await lockOrgan(tx, offer.organId);
    // The note's text stays off the ledger and out of the row: an erasable record the event commits to.
    const note = input.note ? await recordPrivateNote({ tx, text: input.note }) : null;
    const closed = await tx.offer.updateMany({
      where: { id: offer.id, status: "PENDING", deadline: { gt: now } },
      data: {
        status,
        respondedAt: now,
        respondedById: user.id,
        // The code only: the note's text is in its encrypted PrivateNote, never in plain text here.
        refusalReason: input.answer === "REFUSE" ? (input.reasonCode ?? null) : null,
        refusalNoteId: note?.id ?? null,
      },
    });
    if (closed.count === 0) {
      const current = await tx.offer.findUniqueOrThrow({ where: { id: offer.id }, select: { status: true } });
      throw new AppError(
        "CONFLICT",
        current.status === "PENDING"
          ? "the deadline for this offer has passed"
          : `this offer is no longer open (${current.status.toLowerCase()})`,
      );
    }
    if (input.answer === "ACCEPT") {
      const won = await tx.organ.updateMany({
        where: { id: offer.organId, acceptedOfferId: null },
        data: { acceptedOfferId: offer.id, status: "ALLOCATED", destinationOrgId: offer.centerId },
      });
      if (won.count === 0)
        throw new AppError("CONFLICT", "this organ has already been accepted for another candidate");
      try {
        await tx.candidateAcceptance.create({
          data: {
            candidateId: offer.candidateId,
            organType: offer.organ.type,
            offerId: offer.id,
            organId: offer.organId,
          },
        });
      } catch (err) {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === UNIQUE_VIOLATION) {
          throw new AppError(
            "CONFLICT",
            `this candidate already holds an accepted ${offer.organ.type.toLowerCase()}`,
          );
        }
        throw err;
      }
      const withdrawn = await tx.offer.findMany({
        where: { organId: offer.organId, status: "PENDING" },
        select: { id: true, centerId: true },
      });
      await tx.offer.updateMany({
        where: { id: { in: withdrawn.map((w) => w.id) } },
        data: { status: "WITHDRAWN", respondedAt: now },
      });
      for (const w of withdrawn) {
        await appendEvent({
          tx,
          subject: { type: "offer", id: w.id },
          type: "offer.withdrawn",
          payload: { offerId: w.id, organId: offer.organId, acceptedOfferId: offer.id },
          actor: SYSTEM_ACTOR,
          now,
        });
        updates.push({
          rooms: [room.organisation(w.centerId)],
          payload: { offerId: w.id, organId: offer.organId, status: "WITHDRAWN" },
        });
      }
    }
    const answered = {
      type: "offer.answered" as const,
      payload: {
        offerId: offer.id,
        organId: offer.organId,
        answer: status,
        ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
        ...(note ? { note } : {}),
      },
    };
    const event = await appendEvent({
      tx,
      subject: { type: "offer", id: offer.id },
      ...answered,
      actor: actorOf(user),
      now,
    });
    // The coordinator signs the answer's event hash with their passkey next (or the fallback is recorded now).
    const signature = await requestDecisionSignature({
      tx,
      event,
      decision: answered,
      actor: actorOf(user),
      now,
    });
    updates.push({
      rooms: [room.organisation(offer.centerId), room.organisation(offer.organ.donorCase.opoId)],
      payload: { offerId: offer.id, organId: offer.organId, status },
    });
    if (
      input.answer === "REFUSE" &&
      !(await tx.offer.count({ where: { organId: offer.organId, status: "PENDING" } }))
    ) {
      updates.push(...(await advanceOffersInTx(tx, offer.matchRunId, now, SYSTEM_ACTOR)));
    }
    return {
      offerId: offer.id,
      status,
      organStatus: input.answer === "ACCEPT" ? "ALLOCATED" : offer.organ.status,
      signature,
    };
  });
  publishOfferUpdates(updates);
  return result;
}

import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { actorOf } from "@/server/consent/donor-record";
import { prisma, type Tx, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { appendEvent, SYSTEM_ACTOR, type TActor } from "@/server/ledger/append-event";
import { publishLive, room } from "@/server/live/publish";
import { storedRanking, type TStoredRanking } from "./match-run";
import { REFUSAL_REASONS } from "./refusal-reasons";

export { REFUSAL_REASONS };

/** Live events for offers, to the centre offered and the OPO offering. */
export const OFFER_LIVE_EVENT = "offer.updated";

const REASON_CODES = Object.keys(REFUSAL_REASONS) as [
  keyof typeof REFUSAL_REASONS,
  ...(keyof typeof REFUSAL_REASONS)[],
];

export const ZAnswerOfferSchema = z
  .object({
    offerId: z.uuid("offerId must be an offer id"),
    answer: z.enum(["ACCEPT", "REFUSE"], { error: "answer ACCEPT or REFUSE" }),
    reasonCode: z
      .enum(REASON_CODES, { error: `choose a refusal reason: ${REASON_CODES.join(", ")}` })
      .optional(),
    note: z.string().trim().max(1000, "the note is too long (1000 characters at most)").optional(),
  })
  .superRefine((a, ctx) => {
    if (a.answer === "REFUSE" && !a.reasonCode) {
      ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "a refusal needs a reason code" });
    }
  });

type TLive = { rooms: string[]; payload: Record<string, unknown> };
const publishAll = (live: TLive[]) => {
  for (const l of live) publishLive(l.rooms, OFFER_LIVE_EVENT, l.payload);
};

/** Locks the organ row: offers for one organ are decided one at a time. */
async function lockOrgan(tx: Tx, organId: string) {
  await tx.$queryRaw`SELECT id FROM "Organ" WHERE id = ${organId}::uuid FOR UPDATE`;
}

async function createOffers(opts: {
  tx: Tx;
  run: { id: string; organId: string; ranking: unknown };
  organ: { id: string; type: string; din: string; opoId: string };
  rows: TStoredRanking["ranked"];
  actor: TActor;
  now: Date;
  bypass?: { reason: string; skippedRanks: number[] };
}): Promise<TLive[]> {
  const { tx, run, organ, actor, now } = opts;
  const ranking = run.ranking as TStoredRanking;
  const deadline = new Date(now.getTime() + ranking.offer.responseMinutes * 60_000);
  const live: TLive[] = [];
  for (const row of opts.rows) {
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
        bypassReason: opts.bypass?.reason ?? null,
      },
    });
    if (opts.bypass) {
      await appendEvent({
        tx,
        subject: { type: "offer", id: offer.id },
        type: "offer.bypassed",
        payload: {
          offerId: offer.id,
          organId: organ.id,
          skippedRanks: opts.bypass.skippedRanks,
          reason: opts.bypass.reason,
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
    live.push({
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
  return live;
}

/**
 * A match run about to offer its organ, under the organ's row lock: the organ must not be
 * allocated nor have an offer open. Returns the run, its organ, its ranked rows (`storedRanking`)
 * and who was offered.
 */
async function openRunForOffers(tx: Tx, matchRunId: string) {
  const run = await tx.matchRun.findUnique({
    where: { id: matchRunId },
    include: { organ: { include: { donorCase: true } } },
  });
  if (!run) throw new AppError("NOT_FOUND", "no such match run");
  await lockOrgan(tx, run.organId);
  const organ = await tx.organ.findUniqueOrThrow({ where: { id: run.organId } });
  if (organ.acceptedOfferId) throw new AppError("CONFLICT", "this organ is already allocated");
  if (await tx.offer.count({ where: { organId: organ.id, status: "PENDING" } })) {
    throw new AppError("CONFLICT", "an offer for this organ is still open: wait for its answer or deadline");
  }
  const ranking = run.ranking as unknown as TStoredRanking;
  const offered = new Set(
    (await tx.offer.findMany({ where: { matchRunId: run.id }, select: { candidateId: true } })).map(
      (o) => o.candidateId,
    ),
  );
  return {
    ranking,
    ranked: storedRanking(run),
    offered,
    organ,
    target: { id: run.id, organId: run.organId, ranking },
    organRef: { id: organ.id, type: organ.type, din: organ.din, opoId: run.organ.donorCase.opoId },
  };
}

/**
 * The next offers of a match run, in rank order: one (sequential) or the policy's top N, skipping
 * candidates already offered, no longer active, or already holding an accepted organ of this type.
 * Nothing is sent while an offer is open or once the organ is allocated.
 */
async function nextOffersInTx(tx: Tx, matchRunId: string, actor: TActor, now: Date): Promise<TLive[]> {
  const { ranking, ranked, offered, organ, target, organRef } = await openRunForOffers(tx, matchRunId);
  const latest = await tx.matchRun.findFirst({
    where: { organId: organ.id },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (latest?.id !== target.id)
    throw new AppError("CONFLICT", "a newer match run exists for this organ: offer from that one");
  // The first 200 not yet offered are looked at: the head holds them unless offers went deep.
  let remaining = ranked.head.filter((r) => !offered.has(r.candidateId));
  if (remaining.length < 200) remaining = ranked.all().filter((r) => !offered.has(r.candidateId));
  const eligible = new Map(
    (
      await tx.candidate.findMany({
        where: {
          id: { in: remaining.slice(0, 200).map((r) => r.candidateId) },
          status: "ACTIVE",
          acceptances: { none: { organType: organ.type } },
        },
        select: { id: true },
      })
    ).map((c) => [c.id, true]),
  );
  const count = ranking.offer.mode === "topN" ? ranking.offer.topN : 1;
  const rows = remaining.filter((r) => eligible.has(r.candidateId)).slice(0, count);
  if (rows.length === 0)
    throw new AppError("PRECONDITION_FAILED", "no ranked candidate is left to offer this organ to");
  return createOffers({
    tx,
    run: target,
    organ: organRef,
    rows,
    actor,
    now,
  });
}

async function assertOpoOwnsRun(matchRunId: string, user: TSessionUser) {
  const run = await prisma.matchRun.findUnique({
    where: { id: matchRunId },
    select: { organ: { select: { donorCase: { select: { opoId: true } } } } },
  });
  if (!run || run.organ.donorCase.opoId !== user.organisationId)
    throw new AppError("NOT_FOUND", "no such match run in your OPO's cases");
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
  const live = await withTransaction((tx) => nextOffersInTx(tx, matchRunId, actorOf(user), now));
  publishAll(live);
  return { offers: live.map((l) => l.payload.offerId as string) };
}

export const ZOfferOutOfOrderSchema = z.object({
  matchRunId: z.uuid("matchRunId must be a match run id"),
  candidateId: z.uuid("candidateId must be a candidate id"),
  reason: z
    .string({ error: "give the reason for placing out of sequence" })
    .trim()
    .min(10, "explain why this organ is placed out of sequence (10 characters at least)")
    .max(1000, "the reason is too long (1000 characters at most)"),
});

/** Offers to a candidate ranked below others not yet offered: a recorded bypass reason is required. */
export async function offerOutOfOrder({
  input,
  user,
  now = new Date(),
}: {
  input: z.output<typeof ZOfferOutOfOrderSchema>;
  user: TSessionUser;
  now?: Date;
}) {
  await assertOpoOwnsRun(input.matchRunId, user);
  const { live, skipped } = await withTransaction(async (tx) => {
    const { ranked, offered, target, organRef } = await openRunForOffers(tx, input.matchRunId);
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
    const live = await createOffers({
      tx,
      run: target,
      organ: organRef,
      rows: [row],
      actor: actorOf(user),
      now,
      bypass: { reason: input.reason, skippedRanks },
    });
    return { live, skipped: skippedRanks.length };
  });
  publishAll(live);
  return { offerId: live[0]?.payload.offerId as string, skippedRanks: skipped };
}

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
  const live: TLive[] = [];
  const result = await withTransaction(async (tx) => {
    const offer = await tx.offer.findUnique({
      where: { id: input.offerId },
      include: { organ: { include: { donorCase: true } } },
    });
    if (!offer || offer.centerId !== user.organisationId)
      throw new AppError("NOT_FOUND", "no such offer to your centre");
    // Every answer for this organ queues here first, so concurrent accepts never deadlock on offer rows.
    await lockOrgan(tx, offer.organId);
    const closed = await tx.offer.updateMany({
      where: { id: offer.id, status: "PENDING", deadline: { gt: now } },
      data: {
        status: input.answer === "ACCEPT" ? "ACCEPTED" : "REFUSED",
        respondedAt: now,
        respondedById: user.id,
        refusalReason:
          input.answer === "REFUSE" ? [input.reasonCode, input.note].filter(Boolean).join(": ") : null,
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
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
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
        live.push({
          rooms: [room.organisation(w.centerId)],
          payload: { offerId: w.id, organId: offer.organId, status: "WITHDRAWN" },
        });
      }
    }
    await appendEvent({
      tx,
      subject: { type: "offer", id: offer.id },
      type: "offer.answered",
      payload: {
        offerId: offer.id,
        organId: offer.organId,
        answer: input.answer === "ACCEPT" ? "ACCEPTED" : "REFUSED",
        ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
        ...(input.note ? { note: input.note } : {}),
      },
      actor: actorOf(user),
      now,
    });
    const status = input.answer === "ACCEPT" ? "ACCEPTED" : "REFUSED";
    live.push({
      rooms: [room.organisation(offer.centerId), room.organisation(offer.organ.donorCase.opoId)],
      payload: { offerId: offer.id, organId: offer.organId, status },
    });
    if (
      input.answer === "REFUSE" &&
      !(await tx.offer.count({ where: { organId: offer.organId, status: "PENDING" } }))
    ) {
      live.push(...(await nextOffersInTx(tx, offer.matchRunId, SYSTEM_ACTOR, now).catch(() => [])));
    }
    return {
      offerId: offer.id,
      status,
      organStatus: input.answer === "ACCEPT" ? "ALLOCATED" : offer.organ.status,
    };
  });
  publishAll(live);
  return result;
}

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
    take: 500,
    select: { id: true },
  });
  let expired = 0;
  let sent = 0;
  for (const { id } of overdue) {
    const live = await withTransaction(async (tx) => {
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
      const out: TLive[] = [
        {
          rooms: [room.organisation(offer.centerId), room.organisation(offer.organ.donorCase.opoId)],
          payload: { offerId: id, organId: offer.organId, status: "EXPIRED" },
        },
      ];
      if (!(await tx.offer.count({ where: { organId: offer.organId, status: "PENDING" } }))) {
        const next = await nextOffersInTx(tx, offer.matchRunId, SYSTEM_ACTOR, now).catch(() => []);
        sent += next.length;
        out.push(...next);
      }
      return out;
    });
    publishAll(live);
  }
  return { expired, sent };
}

/** Expires overdue offers every `intervalMs` (default 5 s). */
export function startOfferSweeper(
  opts: { intervalMs?: number; now?: () => Date; log?: (l: string) => void } = {},
) {
  const intervalMs = opts.intervalMs ?? 5000;
  const log = opts.log ?? ((l: string) => console.log(`[offers] ${l}`));
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = expireOverdueOffers({ now: opts.now?.() ?? new Date() })
      .then((r) => {
        if (r.expired) log(`${r.expired} offers expired, ${r.sent} next offers sent`);
      })
      .catch((err: Error) => log(`sweep failed: ${err.message.split("\n")[0]}`));
  };
  const timer = setInterval(() => {
    if (!stopped) tick();
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** Offers to the caller's centre: open ones first, then the last day's answers. */
export async function listCentreOffers({ user, now = new Date() }: { user: TSessionUser; now?: Date }) {
  const offers = await prisma.offer.findMany({
    where: {
      centerId: user.organisationId ?? "",
      OR: [{ status: "PENDING" }, { sentAt: { gte: new Date(now.getTime() - 24 * 3_600_000) } }],
    },
    orderBy: [{ status: "asc" }, { deadline: "asc" }],
    take: 100,
    include: {
      candidate: { select: { code: true } },
      organ: { include: { donorCase: { select: { code: true, kdpi: true, donor: true } } } },
    },
  });
  return offers.map((o) => {
    const donor = o.organ.donorCase.donor as { abo?: string; ageYears?: number; dcd?: boolean };
    return {
      offerId: o.id,
      status: o.status,
      rank: o.rank,
      sentAt: o.sentAt,
      deadline: o.deadline,
      candidateCode: o.candidate.code,
      organ: { id: o.organ.id, type: o.organ.type, laterality: o.organ.laterality, din: o.organ.din },
      donor: {
        caseCode: o.organ.donorCase.code,
        abo: donor.abo ?? null,
        ageYears: donor.ageYears ?? null,
        dcd: donor.dcd ?? null,
        kdpi: o.organ.donorCase.kdpi,
      },
      bypassReason: o.bypassReason,
      refusalReason: o.refusalReason,
    };
  });
}

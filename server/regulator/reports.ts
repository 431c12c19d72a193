import "server-only";

import { stepDetailsWithText } from "@/server/custody/custody-note-texts";
import { prisma as defaultDb } from "@/server/db";
import type { PrismaClient } from "@/server/generated/prisma/client";
import {
  ischemiaHistogram,
  median,
  periodKey,
  periodStarts,
  RESPONSE_BUCKETS,
  responseBucket,
  type TIschemiaBucket,
  type TReportRange,
  transitLegs,
  transitSeries,
} from "./report-series";

/**
 * The regulator's five reports over a period. Each reads only what it counts (no identity, no
 * clinical details beyond organ type and times) and returns plain rows, which the charts draw and
 * the CSV download writes as they are.
 */
type TOptions = { range: TReportRange; db?: PrismaClient };

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Cold ischemia of organs transplanted in the period (cross-clamp to reperfusion), per type against its limit. */
export async function coldIschemiaReport({ range, db = defaultDb }: TOptions): Promise<TIschemiaBucket[]> {
  const organs = await db.organ.findMany({
    where: {
      crossClampAt: { not: null },
      reperfusionAt: { gte: range.from, lt: range.toExclusive },
    },
    select: { type: true, crossClampAt: true, reperfusionAt: true },
  });
  return ischemiaHistogram(
    organs.map((o) => ({
      organType: o.type,
      hours: ((o.reperfusionAt?.getTime() ?? 0) - (o.crossClampAt?.getTime() ?? 0)) / HOUR_MS,
    })),
  );
}

export type TDiscardRow = { reason: string; organs: number };

/** Discards recorded in the period, grouped by the stated reason (case and spacing ignored), most frequent first. */
export async function discardsByReasonReport({ range, db = defaultDb }: TOptions): Promise<TDiscardRow[]> {
  const events = await db.custodyEvent.findMany({
    where: { kind: "DISCARDED", reportedAt: { gte: range.from, lt: range.toExclusive } },
    select: { id: true, details: true, noteId: true },
    orderBy: { reportedAt: "asc" },
  });
  // The stated reason is each discard's note (the row keeps no text); an erased one counts as none.
  const details = await stepDetailsWithText(events, db);
  const groups = new Map<string, TDiscardRow>();
  for (const e of events) {
    const raw = details.get(e.id)?.reason;
    const reason =
      typeof raw === "string" && raw.trim() ? raw.trim().replace(/\s+/g, " ").slice(0, 120) : "(none given)";
    const key = reason.toLowerCase();
    const row = groups.get(key) ?? { reason, organs: 0 };
    row.organs += 1;
    groups.set(key, row);
  }
  return [...groups.values()].sort((a, b) => b.organs - a.organs || a.reason.localeCompare(b.reason));
}

export type TOfferRow = { bucket: string; accepted: number; refused: number; expired: number };
export type TOfferReport = {
  rows: TOfferRow[];
  summary: {
    sent: number;
    answered: number;
    expired: number;
    withdrawn: number;
    pending: number;
    medianResponseMinutes: number | null;
  };
};

const EXPIRED_BUCKET = "no answer (expired)";

/** Offers sent in the period: how long centres took to answer (by answer) and how many expired unanswered. */
export async function offerResponsesReport({ range, db = defaultDb }: TOptions): Promise<TOfferReport> {
  const offers = await db.offer.findMany({
    where: { sentAt: { gte: range.from, lt: range.toExclusive } },
    select: { status: true, sentAt: true, respondedAt: true },
  });
  const rows: TOfferRow[] = [
    ...RESPONSE_BUCKETS.map((b) => ({ bucket: b.label, accepted: 0, refused: 0, expired: 0 })),
    { bucket: EXPIRED_BUCKET, accepted: 0, refused: 0, expired: 0 },
  ];
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  const minutes: number[] = [];
  let withdrawn = 0;
  let pending = 0;
  for (const o of offers) {
    if (o.status === "EXPIRED") (byBucket.get(EXPIRED_BUCKET) as TOfferRow).expired += 1;
    else if (o.status === "WITHDRAWN") withdrawn += 1;
    else if (o.status === "PENDING") pending += 1;
    else if (o.respondedAt) {
      const m = Math.max(0, (o.respondedAt.getTime() - o.sentAt.getTime()) / MINUTE_MS);
      minutes.push(m);
      const row = byBucket.get(responseBucket(m)) as TOfferRow;
      if (o.status === "ACCEPTED") row.accepted += 1;
      else row.refused += 1;
    }
  }
  return {
    rows,
    summary: {
      sent: offers.length,
      answered: minutes.length,
      expired: (byBucket.get(EXPIRED_BUCKET) as TOfferRow).expired,
      withdrawn,
      pending,
      medianResponseMinutes: median(minutes),
    },
  };
}

export type TTransitRow = { period: string; organs: number };

/** Organs in transit per day (or hour) of the period, from their custody steps. */
export async function organsInTransitReport({
  range,
  db = defaultDb,
  now = new Date(),
}: TOptions & { now?: Date }): Promise<TTransitRow[]> {
  // Organs whose custody was taken over before the period ended; their later steps close the legs.
  const steps = await db.custodyEvent.findMany({
    where: {
      kind: { in: ["HANDOFF_ACCEPTED", "ARRIVED", "TRANSPLANTED", "DISCARDED", "RETURNED"] },
      organ: {
        custodyEvents: { some: { kind: "HANDOFF_ACCEPTED", reportedAt: { lt: range.toExclusive } } },
      },
    },
    select: { organId: true, kind: true, reportedAt: true },
    orderBy: [{ organId: "asc" }, { sequence: "asc" }],
  });
  const byOrgan = new Map<string, Array<{ kind: string; at: Date }>>();
  for (const s of steps) {
    byOrgan.set(s.organId, [...(byOrgan.get(s.organId) ?? []), { kind: s.kind, at: s.reportedAt }]);
  }
  const organs = [...byOrgan].map(([organId, list]) => ({ organId, legs: transitLegs(list, now) }));
  return transitSeries(organs, range);
}

export type TConsentRow = {
  period: string;
  registrations: number;
  changes: number;
  familyAuthorisations: number;
  revocations: number;
};

/**
 * Consent versions per day: first registrations (a registrant's version 1), changes (later
 * first-person versions), family authorisations, and revocations by the day they took effect.
 */
export async function consentActivityReport({ range, db = defaultDb }: TOptions): Promise<TConsentRow[]> {
  const daily = { ...range, granularity: "day" as const };
  const inRange = { gte: range.from, lt: range.toExclusive };
  const [recorded, revoked] = await Promise.all([
    db.consentVersion.findMany({
      where: { createdAt: inRange },
      select: { createdAt: true, kind: true, version: true },
    }),
    db.consentVersion.findMany({ where: { revokedAt: inRange }, select: { revokedAt: true } }),
  ]);
  const rows = new Map<string, TConsentRow>(
    periodStarts(daily).map((d) => {
      const period = periodKey(d, "day");
      return [period, { period, registrations: 0, changes: 0, familyAuthorisations: 0, revocations: 0 }];
    }),
  );
  for (const v of recorded) {
    const row = rows.get(periodKey(v.createdAt, "day"));
    if (!row) continue;
    if (v.kind === "FAMILY_AUTHORISATION") row.familyAuthorisations += 1;
    else if (v.version === 1) row.registrations += 1;
    else row.changes += 1;
  }
  for (const v of revoked) {
    const row = v.revokedAt ? rows.get(periodKey(v.revokedAt, "day")) : undefined;
    if (row) row.revocations += 1;
  }
  return [...rows.values()];
}

import "server-only";

import { accessReasonTexts } from "@/server/consent/private-note";
import { prisma as defaultDb } from "@/server/db";
import type { Prisma, PrismaClient } from "@/server/generated/prisma/client";
import { type TAccessLogFilter, ZAccessLogFilterSchema } from "./access-log-filter";

const DAY_MS = 86_400_000;

export type TAccessLogEntry = {
  eventId: string;
  at: Date;
  staff: {
    userId: string | null;
    name: string | null;
    email: string | null;
    role: string | null;
    organisation: string | null;
  };
  /** The registrant's record id (no identity); null for a search that found nobody. */
  donorId: string | null;
  recordType: string;
  reasonCode: string | null;
  reason: string;
  found: boolean;
};

export type TAccessLogPage = {
  entries: TAccessLogEntry[];
  total: number;
  page: number;
  pageSize: number;
};

const asDate = (day: string | undefined, plusDays = 0) => {
  if (!day) return undefined;
  const d = new Date(Date.parse(`${day}T00:00:00Z`) + plusDays * DAY_MS);
  // Out-of-range years would fail in the database; such a bound filters nothing useful anyway.
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1900 || d.getUTCFullYear() > 2200 ? undefined : d;
};

/**
 * Every staff read of personal data (`personal_data.accessed` ledger events), newest first: who
 * (name, e-mail, role, organisation), when, whose record (the registrant's id only) and the stated
 * reason, filtered by staff user, period, reason code or registrant, a page at a time.
 */
export async function listAccessLog({
  filter,
  db = defaultDb,
}: {
  filter: TAccessLogFilter;
  db?: PrismaClient;
}): Promise<TAccessLogPage> {
  const f = ZAccessLogFilterSchema.parse(filter);
  const from = asDate(f.from);
  const toExclusive = asDate(f.to, 1);
  const where: Prisma.LedgerEventWhereInput = {
    type: "personal_data.accessed",
    ...(f.staffUserId ? { actorUserId: f.staffUserId } : {}),
    ...(f.reasonCode ? { payload: { path: ["reasonCode"], equals: f.reasonCode } } : {}),
    ...(f.donorId ? { subjectType: "donor", subjectId: f.donorId } : {}),
    ...(from || toExclusive
      ? { serverTime: { ...(from ? { gte: from } : {}), ...(toExclusive ? { lt: toExclusive } : {}) } }
      : {}),
  };
  const [total, events] = await Promise.all([
    db.ledgerEvent.count({ where }),
    db.ledgerEvent.findMany({
      where,
      orderBy: { position: "desc" },
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
      select: {
        id: true,
        serverTime: true,
        subjectType: true,
        subjectId: true,
        actorUserId: true,
        actorRole: true,
        actorOrgId: true,
        payload: true,
      },
    }),
  ]);
  const userIds = [...new Set(events.flatMap((e) => (e.actorUserId ? [e.actorUserId] : [])))];
  const orgIds = [...new Set(events.flatMap((e) => (e.actorOrgId ? [e.actorOrgId] : [])))];
  const [users, orgs] = await Promise.all([
    db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }),
    db.organisation.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } }),
  ]);
  const userOf = new Map(users.map((u) => [u.id, u]));
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const reasons = await accessReasonTexts(events);
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    entries: events.map((e) => {
      const p = e.payload as { recordType?: string; reasonCode?: string; reason?: string; found?: boolean };
      const user = e.actorUserId ? userOf.get(e.actorUserId) : undefined;
      return {
        eventId: e.id,
        at: e.serverTime,
        staff: {
          userId: e.actorUserId,
          name: user?.name ?? null,
          email: user?.email ?? null,
          role: e.actorRole,
          organisation: e.actorOrgId ? (orgName.get(e.actorOrgId) ?? null) : null,
        },
        donorId: e.subjectType === "donor" ? e.subjectId : null,
        recordType: p.recordType ?? "",
        reasonCode: p.reasonCode ?? null,
        reason: reasons.get(e.id) ?? "",
        found: p.found ?? e.subjectType === "donor",
      };
    }),
  };
}

/** The staff who have read personal data at least once, for the log's filter (name order). */
export async function listAccessingStaff({ db = defaultDb }: { db?: PrismaClient } = {}) {
  const rows = await db.ledgerEvent.findMany({
    where: { type: "personal_data.accessed", actorUserId: { not: null } },
    distinct: ["actorUserId"],
    select: { actorUserId: true },
  });
  const users = await db.user.findMany({
    where: { id: { in: rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])) } },
    select: { id: true, name: true, email: true, role: true },
    orderBy: { name: "asc" },
  });
  return users;
}

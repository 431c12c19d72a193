import type { TSessionUser } from "@/server/auth/roles";
import { prisma } from "@/server/db";
import { AppError } from "@/server/errors";
import { loadOrganViews, type TCustodyEventView, type TOrganInFlight, toEventView } from "./custody-views";
import { organScopeFor } from "./organ-access";

export type TOrganTimeline = {
  organ: TOrganInFlight;
  events: Array<TCustodyEventView & { actorName: string | null; actorOrgName: string | null }>;
};

/**
 * One organ's whole journey, oldest first, with who recorded each step. An organ the user may not
 * follow is reported as not found, so its existence is not disclosed.
 */
export async function getOrganTimeline(opts: {
  user: TSessionUser;
  organId: string;
  db?: typeof prisma;
}): Promise<TOrganTimeline> {
  const db = opts.db ?? prisma;
  const visible = await db.organ.findFirst({
    where: { AND: [{ id: opts.organId }, organScopeFor(opts.user)] },
    select: { id: true },
  });
  if (!visible) throw new AppError("NOT_FOUND", "No organ with this id is visible to you.");
  const [[organ], rows] = await Promise.all([
    loadOrganViews([opts.organId], db),
    db.custodyEvent.findMany({ where: { organId: opts.organId }, orderBy: { sequence: "asc" } }),
  ]);
  const userIds = [...new Set(rows.map((r) => r.actorUserId))];
  const orgIds = [...new Set(rows.map((r) => r.actorOrgId).filter((o): o is string => !!o))];
  const [users, orgs] = await Promise.all([
    db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }),
    db.organisation.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } }),
  ]);
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  if (!organ) throw new AppError("NOT_FOUND", "No organ with this id is visible to you.");
  return {
    organ,
    events: rows.map((r) => ({
      ...toEventView(r),
      actorName: userName.get(r.actorUserId) ?? null,
      actorOrgName: (r.actorOrgId && orgName.get(r.actorOrgId)) || null,
    })),
  };
}

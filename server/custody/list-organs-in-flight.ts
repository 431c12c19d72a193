import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { prisma } from "@/server/db";
import { loadOrganViews, type TOrganInFlight } from "./custody-views";
import { organScopeFor } from "./organ-access";

/** Statuses after which an organ has no journey left to follow. */
const DONE = ["TRANSPLANTED", "DISCARDED"] as const;

/**
 * The organs in flight for the user's organisation: an OPO sees those it recovered, a centre
 * those coming to it, a courier those it holds or carried. "In flight" means the cold ischemia
 * clock has started (cross-clamp recorded) or custody has begun, and the journey has not ended.
 */
export async function listOrgansInFlight(opts: {
  user: TSessionUser;
  limit?: number;
  db?: typeof prisma;
}): Promise<TOrganInFlight[]> {
  const db = opts.db ?? prisma;
  const organs = await db.organ.findMany({
    where: {
      AND: [
        organScopeFor(opts.user),
        { status: { notIn: [...DONE] } },
        { OR: [{ crossClampAt: { not: null } }, { custodyEvents: { some: {} } }] },
      ],
    },
    orderBy: [{ crossClampAt: "asc" }, { createdAt: "asc" }],
    take: opts.limit ?? 200,
    select: { id: true },
  });
  const views = await loadOrganViews(
    organs.map((o) => o.id),
    db,
  );
  const order = new Map(organs.map((o, i) => [o.id, i]));
  return views.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

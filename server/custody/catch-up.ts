import "server-only";

import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { prisma } from "@/server/db";
import { zInt4 } from "@/server/security/bounded-input";
import { stepDetailsWithText } from "./custody-note-texts";
import { type TCustodyEventView, toEventView } from "./custody-views";
import { organScopeFor } from "./organ-access";

/** What a reconnecting client sends: the last sequence it applied, per organ it follows. */
export const ZCatchUpRequestSchema = z.object({
  since: z
    // Organ ids are UUIDs; anything else would fail in the query instead of as bad input.
    .record(z.uuid("since: each key must be an organ id (UUID)"), zInt4("since: each sequence number"))
    .refine((m) => Object.keys(m).length <= 500, {
      message: "follow at most 500 organs at once",
    }),
});
export type TCatchUpRequest = z.infer<typeof ZCatchUpRequestSchema>;

/** Upper bound of one reply; a client that gets this many asks again from its new positions. */
export const CATCH_UP_LIMIT = 5000;

/**
 * Every custody event the client missed: for each organ it names and may follow, the events after
 * the sequence it last saw, ordered by organ and sequence. Organs it may not follow are skipped
 * silently (the answer is the same as for an organ with nothing new), so the call leaks nothing.
 */
export async function catchUpCustodyEvents(opts: {
  user: TSessionUser;
  since: Record<string, number>;
  db?: typeof prisma;
}): Promise<TCustodyEventView[]> {
  const db = opts.db ?? prisma;
  const ids = Object.keys(opts.since);
  if (ids.length === 0) return [];
  const visible = await db.organ.findMany({
    where: { AND: [{ id: { in: ids } }, organScopeFor(opts.user)] },
    select: { id: true },
  });
  if (visible.length === 0) return [];
  const rows = await db.custodyEvent.findMany({
    where: { OR: visible.map((o) => ({ organId: o.id, sequence: { gt: opts.since[o.id] ?? 0 } })) },
    orderBy: [{ organId: "asc" }, { sequence: "asc" }],
    take: CATCH_UP_LIMIT,
  });
  const details = await stepDetailsWithText(rows, db);
  return rows.map((r) => ({ ...toEventView(r), details: details.get(r.id) ?? {} }));
}

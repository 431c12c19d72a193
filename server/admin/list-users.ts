import "server-only";

import type { TRole } from "@/server/auth/roles";
import { prisma } from "@/server/db";

export type TUserSummary = {
  id: string;
  email: string;
  name: string;
  role: TRole;
  organisation: { id: string; code: string; name: string } | null;
  locked: boolean;
  deactivated: boolean;
};

/** Users with their role and organisation, for the admin's user list (no password material). */
export async function listUsers(opts: { now?: Date } = {}): Promise<TUserSummary[]> {
  const now = opts.now ?? new Date();
  const users = await prisma.user.findMany({
    orderBy: [{ role: "asc" }, { email: "asc" }],
    include: { organisation: { select: { id: true, code: true, name: true } } },
  });
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    organisation: u.organisation,
    locked: !!u.lockedUntil && u.lockedUntil > now,
    deactivated: !!u.deactivatedAt,
  }));
}

/** Organisations by kind, for the admin's organisation list. */
export function listOrganisations() {
  return prisma.organisation.findMany({
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    select: { id: true, code: true, name: true, kind: true, latitude: true, longitude: true },
  });
}

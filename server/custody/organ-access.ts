import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import type { Prisma } from "@/server/generated/prisma/client";
import { room } from "@/server/live/publish";

/** The organisations an organ's live events go to and whose people may follow it. */
export type TOrganParties = {
  /** The OPO that recovered it (the donor case's OPO). */
  opoId: string;
  /** The transplant centre it is going to (set when an offer is accepted). */
  destinationOrgId: string | null;
  custodianOrgId: string | null;
  custodianUserId: string | null;
};

/**
 * Which organs a user may follow, as a Prisma filter: the OPO its own recoveries, a centre the
 * organs coming to it, a courier the organs its organisation holds or has carried; regulators and
 * administrators everything. Everyone else nothing (deny by default).
 */
export function organScopeFor(user: TSessionUser): Prisma.OrganWhereInput {
  const org = user.organisationId;
  switch (user.role) {
    case "REGULATOR":
    case "ADMIN":
      return {};
    case "OPO_COORDINATOR":
      return org ? { donorCase: { opoId: org } } : { id: { in: [] } };
    case "CENTER_COORDINATOR":
      return org ? { destinationOrgId: org } : { id: { in: [] } };
    case "COURIER":
      return {
        OR: [
          { custodianUserId: user.id },
          ...(org ? [{ custodianOrgId: org }, { custodyEvents: { some: { actorOrgId: org } } }] : []),
        ],
      };
    default:
      return { id: { in: [] } };
  }
}

/** The same rule for one organ already loaded (used before pushing or replaying its events). */
export function mayFollowOrgan(
  user: TSessionUser,
  parties: TOrganParties,
  actorOrgIds: string[] = [],
): boolean {
  const org = user.organisationId;
  switch (user.role) {
    case "REGULATOR":
    case "ADMIN":
      return true;
    case "OPO_COORDINATOR":
      return !!org && parties.opoId === org;
    case "CENTER_COORDINATOR":
      return !!org && parties.destinationOrgId === org;
    case "COURIER":
      return (
        parties.custodianUserId === user.id ||
        (!!org && (parties.custodianOrgId === org || actorOrgIds.includes(org)))
      );
    default:
      return false;
  }
}

/**
 * Rooms that receive an organ's custody events: the recovering OPO, the destination centre, and
 * the organisations that held it before and after the event (so a courier sees its own hand-off
 * confirmed). Never a role-wide room: a coordinator only hears about organs that are theirs.
 */
export function organRooms(parties: TOrganParties, previousCustodianOrgId?: string | null): string[] {
  const orgs = new Set<string>([parties.opoId]);
  for (const o of [parties.destinationOrgId, parties.custodianOrgId, previousCustodianOrgId])
    if (o) orgs.add(o);
  const rooms = [...orgs].map(room.organisation);
  if (parties.custodianUserId) rooms.push(room.user(parties.custodianUserId));
  return rooms;
}

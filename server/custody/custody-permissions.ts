import type { TSessionUser } from "@/server/auth/roles";
import { AppError } from "@/server/errors";
import type { TOrganParties } from "./organ-access";

/**
 * Who may record which custody step (the state machine decides *whether* the step may happen
 * now; this decides *who* may record it). Pure: takes the organ's parties, throws AppError.
 *
 * - the recovering OPO's coordinators: cross-clamp, recovery, packaging;
 * - the destination centre's coordinators: arrival, transplant;
 * - the holder of custody: hand-off, checkpoint, discard (with a reason), return;
 * - the named receiver of a pending hand-off: its confirmation.
 */
export type TStepGroup = "opo" | "centre" | "holder" | "receiver";

export function holdsCustody(actor: TSessionUser, parties: TOrganParties): boolean {
  if (parties.custodianUserId) {
    if (parties.custodianUserId === actor.id) return true;
    // Coordinators hold custody for their organisation (the organ is in their building).
    return (
      actor.role !== "COURIER" && !!actor.organisationId && parties.custodianOrgId === actor.organisationId
    );
  }
  if (parties.custodianOrgId)
    return actor.role !== "COURIER" && parties.custodianOrgId === actor.organisationId;
  // Before the first hand-off the organ is with the OPO that recovers it.
  return actor.role === "OPO_COORDINATOR" && actor.organisationId === parties.opoId;
}

export function authoriseStepGroup(opts: {
  group: TStepGroup;
  stepLabel: string;
  actor: TSessionUser;
  parties: TOrganParties;
  pendingReceiver?: { userId: string; orgId: string | null } | null;
}): void {
  const { group, stepLabel, actor, parties } = opts;
  const org = actor.organisationId;
  switch (group) {
    case "opo":
      if (actor.role !== "OPO_COORDINATOR" || org !== parties.opoId) {
        throw new AppError(
          "FORBIDDEN",
          `Only a coordinator of the OPO that recovers this organ can record ${stepLabel}.`,
        );
      }
      return;
    case "centre":
      if (actor.role !== "CENTER_COORDINATOR" || !org || org !== parties.destinationOrgId) {
        throw new AppError(
          "FORBIDDEN",
          `Only a coordinator of the organ's destination centre can record ${stepLabel}.`,
        );
      }
      return;
    case "holder":
      if (!holdsCustody(actor, parties)) {
        throw new AppError(
          "FORBIDDEN",
          `You do not hold custody of this organ, so you cannot record ${stepLabel}. Ask its current holder to hand it over to you first.`,
        );
      }
      return;
    case "receiver": {
      const to = opts.pendingReceiver;
      if (!to) {
        throw new AppError(
          "FORBIDDEN",
          "No hand-off to you is pending for this organ; ask its current holder to record the hand-off first.",
        );
      }
      // A coordinator may confirm for a colleague of the same organisation; a courier only for themself.
      const sameOrg = actor.role !== "COURIER" && !!org && to.orgId === org;
      if (to.userId !== actor.id && !sameOrg) {
        throw new AppError(
          "FORBIDDEN",
          "This organ is being handed to someone else; only the named receiver can confirm the hand-off.",
        );
      }
      return;
    }
  }
}

import type { TSessionUser } from "@/server/auth/roles";
import { AppError } from "@/server/errors";
import type { TOrganParties } from "./organ-access";

/**
 * Who may record which custody step, by role and organisation. The state machine
 * (`applyCustodyEvent`) then decides whether the step may happen now, including who holds
 * custody and who is the named receiver of a hand-off. Pure; throws AppError.
 *
 * - the recovering OPO's coordinators: cross-clamp, recovery, packaging;
 * - the destination centre's coordinators: arrival, transplant;
 * - staff who carry organs (OPO and centre coordinators, couriers): hand-off, checkpoint,
 *   discard, return, and confirming or declining a hand-off (the machine checks the holder).
 */
export type TStepGroup = "opo" | "centre" | "holder" | "receiver";

const CARRIERS: readonly TSessionUser["role"][] = ["OPO_COORDINATOR", "CENTER_COORDINATOR", "COURIER"];

export function authoriseStepGroup(opts: {
  group: TStepGroup;
  stepLabel: string;
  actor: TSessionUser;
  parties: TOrganParties;
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
    case "receiver":
      if (!CARRIERS.includes(actor.role)) {
        throw new AppError("FORBIDDEN", `Your role cannot record ${stepLabel}.`);
      }
      return;
  }
}

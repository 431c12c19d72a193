import type { TSessionUser } from "@/server/auth/roles";
import { AppError } from "@/server/errors";
import type { OrganStatus } from "@/server/generated/prisma/client";
import { authoriseStepGroup, type TStepGroup } from "./custody-permissions";
import { interimApply, type TInterimRefusal, type TInterimState } from "./interim-rules";
import type { TOrganParties } from "./organ-access";

/** Which role rule applies to each step (who may record it); the state machine decides when. */
const GROUP: Record<string, TStepGroup> = {
  CROSS_CLAMP: "opo",
  RECOVERED: "opo",
  PACKAGED: "opo",
  HANDOFF_OFFERED: "holder",
  CHECKPOINT: "holder",
  DISCARDED: "holder",
  HANDOFF_ACCEPTED: "receiver",
  ARRIVED: "centre",
  TRANSPLANTED: "centre",
};

const STATUS_OF: Record<string, OrganStatus | undefined> = {
  HANDOFF_PENDING: "IN_TRANSIT",
  IN_TRANSIT: "IN_TRANSIT",
  ARRIVED: "ARRIVED",
  TRANSPLANTED: "TRANSPLANTED",
  DISCARDED: "DISCARDED",
};

const CODE_OF: Record<TInterimRefusal["code"], "BAD_REQUEST" | "CONFLICT"> = {
  TRANSITION: "CONFLICT",
  TIME: "BAD_REQUEST",
  BOUNDS: "BAD_REQUEST",
  REASON: "BAD_REQUEST",
  INPUT: "BAD_REQUEST",
};

/** Details fields a step may carry onto the record and the ledger (ids, not e-mail addresses). */
const KEEP = [
  "location",
  "temperatureC",
  "deviceReading",
  "etaAt",
  "reason",
  "toUserId",
  "toOrgId",
  "warmIschemiaStartedAt",
];

export type TDecidedStep = {
  state: TInterimState;
  details: Record<string, unknown>;
  custodian: { orgId: string | null; userId: string | null };
  status: OrganStatus | undefined;
  crossClampAt: Date | undefined;
  reperfusionAt: Date | undefined;
};

/**
 * Decides one custody step from the organ's current state: the role rule (who) and the state
 * machine (whether, and with what times and readings), then what the organ row becomes. Pure.
 * Throws AppError with a message the person on the spot can act on.
 */
export function decideStep(opts: {
  state: unknown;
  parties: TOrganParties;
  lastReportedAt: Date | null;
  organType: string;
  kind: string;
  reportedAt: Date;
  details: Record<string, unknown>;
  actor: TSessionUser;
  now: Date;
}): TDecidedStep {
  const group = GROUP[opts.kind];
  if (!group) throw new AppError("BAD_REQUEST", `Unknown custody step "${opts.kind}".`);
  const state = (opts.state as TInterimState | null) ?? null;
  const label = opts.kind.toLowerCase().replace(/_/g, " ");
  authoriseStepGroup({
    group,
    stepLabel: `a ${label}`,
    actor: opts.actor,
    parties: opts.parties,
    pendingReceiver: state?.pending ? { userId: state.pending.toUserId, orgId: state.pending.toOrgId } : null,
  });
  const details = Object.fromEntries(
    Object.entries(opts.details).filter(([k, v]) => KEEP.includes(k) && v !== undefined),
  );
  const result = interimApply(
    state,
    {
      kind: opts.kind,
      at: opts.reportedAt,
      actor: { userId: opts.actor.id, orgId: opts.actor.organisationId },
      details,
    },
    opts.now,
  );
  if (!result.ok) throw new AppError(CODE_OF[result.refusal.code], result.refusal.message);
  const next = result.state;
  return {
    state: next,
    details,
    custodian: { orgId: next.holder?.orgId ?? null, userId: next.holder?.userId ?? null },
    status: STATUS_OF[next.phase],
    crossClampAt: opts.kind === "CROSS_CLAMP" ? opts.reportedAt : undefined,
    reperfusionAt: opts.kind === "TRANSPLANTED" ? opts.reportedAt : undefined,
  };
}

import "server-only";

import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { AppError, type TAppErrorCode } from "@/server/errors";
import type { OrganStatus } from "@/server/generated/prisma/client";
import { applyCustodyEvent, initialCustodyState } from "./apply-custody-event";
import {
  type TCustodyEvent,
  type TCustodyPhase,
  type TCustodyRefusal,
  type TCustodyState,
  ZCustodyEventSchema,
  ZCustodyStateSchema,
} from "./custody-event-schema";
import { authoriseStepGroup, type TStepGroup } from "./custody-permissions";
import type { TOrganParties } from "./organ-access";
import { assessStep, describeExcursion, type TExcursion } from "./policy/assess-step";
import { type TPreservationMethod, ZPreservationMethodSchema } from "./policy/temperature-policy";

/** Which role rule applies to each step (who may record it); the state machine decides when. */
const GROUP: Record<TCustodyEvent["kind"], TStepGroup> = {
  CROSS_CLAMP: "opo",
  RECOVERED: "opo",
  PACKAGED: "opo",
  HANDOFF_OFFERED: "holder",
  CHECKPOINT: "holder",
  DISCARDED: "holder",
  RETURNED: "holder",
  HANDOFF_ACCEPTED: "receiver",
  HANDOFF_DECLINED: "receiver",
  ARRIVED: "centre",
  TRANSPLANTED: "centre",
};

const STATUS_OF: Partial<Record<TCustodyPhase, OrganStatus>> = {
  HANDOFF_PENDING: "IN_TRANSIT",
  IN_TRANSIT: "IN_TRANSIT",
  ARRIVED: "ARRIVED",
  TRANSPLANTED: "TRANSPLANTED",
  DISCARDED: "DISCARDED",
};

const CODE_OF: Record<TCustodyRefusal["code"], TAppErrorCode> = {
  TRANSITION_NOT_ALLOWED: "CONFLICT",
  NOT_CUSTODIAN: "FORBIDDEN",
  NOT_RECEIVER: "FORBIDDEN",
  TIME_BEFORE_PREVIOUS: "BAD_REQUEST",
  TIME_IN_FUTURE: "BAD_REQUEST",
  TEMPERATURE_IMPLAUSIBLE: "BAD_REQUEST",
  LOCATION_IMPLAUSIBLE: "BAD_REQUEST",
  DEVICE_READING_IMPLAUSIBLE: "BAD_REQUEST",
  REASON_REQUIRED: "BAD_REQUEST",
  INVALID_EVENT: "BAD_REQUEST",
};

const FIELD_OF: Partial<Record<TCustodyRefusal["code"], string>> = {
  TEMPERATURE_IMPLAUSIBLE: "details.temperatureC",
  LOCATION_IMPLAUSIBLE: "details.location",
  DEVICE_READING_IMPLAUSIBLE: "details.deviceReading",
  REASON_REQUIRED: "details.reason",
  TIME_BEFORE_PREVIOUS: "reportedAt",
  TIME_IN_FUTURE: "reportedAt",
};

const iso = z.iso.datetime({ offset: true });
const ZCoordinatesSchema = z.object({
  lat: z.number(),
  lon: z.number(),
  label: z.string().max(200).optional(),
});

/**
 * What a custody step's details may hold, as recorded (CustodyEvent.details and the ledger): a
 * place name or coordinates, readings, an estimated arrival, a reason, the receiver of a hand-off
 * (ids, resolved from the e-mail the form sends), the DCD withdrawal time. Unknown keys are dropped.
 */
export const ZStepDetailsSchema = z.object({
  location: z.union([z.string().trim().min(1).max(200), ZCoordinatesSchema]).optional(),
  temperatureC: z.number().optional(),
  deviceReading: z
    .union([
      z.string().trim().min(1).max(200),
      z.object({
        deviceId: z.string().min(1),
        temperatureC: z.number().optional(),
        flowMlMin: z.number().optional(),
        pressureMmHg: z.number().optional(),
      }),
    ])
    .optional(),
  etaAt: iso.optional(),
  reason: z.string().max(1000).optional(),
  toUserId: z.string().optional(),
  toOrgId: z.string().nullable().optional(),
  warmIschemiaStartedAt: iso.optional(),
  /** Declared when packaging or when the method changes (e.g. put on a perfusion machine). */
  preservation: ZPreservationMethodSchema.optional(),
});
/** As recorded: the form's details plus the policy's judgement of the readings (never from the client). */
export type TStepDetails = z.infer<typeof ZStepDetailsSchema> & { excursions?: TExcursion[] };

export type TDecidedStep = {
  state: TCustodyState;
  details: TStepDetails;
  warnings: string[];
  custodian: { orgId: string | null; userId: string | null };
  status: OrganStatus | undefined;
  crossClampAt: Date | null;
  reperfusionAt: Date | null;
};

/** The machine's event from the form's step: coordinates and device objects only, the label's DIN. */
function toMachineEvent(opts: {
  kind: TCustodyEvent["kind"];
  at: Date;
  actor: TSessionUser;
  details: TStepDetails;
  din: string;
  clientEventId: string;
}): TCustodyEvent {
  const d = opts.details;
  const raw = {
    kind: opts.kind,
    clientEventId: opts.clientEventId,
    at: opts.at.toISOString(),
    actor: { userId: opts.actor.id, orgId: opts.actor.organisationId },
    location: typeof d.location === "object" ? d.location : undefined,
    temperatureC: d.temperatureC,
    deviceReading: typeof d.deviceReading === "object" ? d.deviceReading : undefined,
    warmIschemiaStartedAt: d.warmIschemiaStartedAt,
    din: opts.din,
    to: d.toOrgId !== undefined ? { userId: d.toUserId, orgId: d.toOrgId ?? null } : undefined,
    // A missing reason reaches the machine as empty, so its refusal says what is missing.
    reason: d.reason ?? "",
  };
  const parsed = ZCustodyEventSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") ?? "";
    const message =
      field === "to"
        ? "Name the person you hand the organ to (their e-mail)."
        : `Check ${field}: ${issue?.message}`;
    throw new AppError("BAD_REQUEST", message, {
      [field === "to" ? "details.toEmail" : `details.${field}`]: message,
    });
  }
  return parsed.data;
}

/**
 * Decides one custody step: the role rule (who), then the pure state machine (whether, with what
 * times and readings), then what the organ row becomes. Pure. Throws AppError with the message the
 * person on the spot can act on.
 */
export function decideStep(opts: {
  state: unknown;
  parties: TOrganParties;
  organType: string;
  donationType: "DBD" | "DCD";
  din: string;
  kind: string;
  clientEventId: string;
  reportedAt: Date;
  details: Record<string, unknown>;
  actor: TSessionUser;
  now: Date;
}): TDecidedStep {
  const kind = opts.kind as TCustodyEvent["kind"];
  const group = GROUP[kind];
  if (!group)
    throw new AppError("BAD_REQUEST", `kind: unknown custody step "${opts.kind.slice(0, 40)}"`, {
      kind: "unknown custody step",
    });
  authoriseStepGroup({
    group,
    stepLabel: `a ${kind.toLowerCase().replace(/_/g, " ")}`,
    actor: opts.actor,
    parties: opts.parties,
  });

  const parsedDetails = ZStepDetailsSchema.safeParse(opts.details);
  if (!parsedDetails.success) {
    const issue = parsedDetails.error.issues[0];
    const field = `details.${issue?.path.join(".")}`;
    throw new AppError("BAD_REQUEST", `${field}: ${issue?.message}`, {
      [field]: issue?.message ?? "invalid",
    });
  }
  const details = parsedDetails.data;
  let state: TCustodyState;
  if (opts.state === null || opts.state === undefined) {
    state = initialCustodyState({ organType: opts.organType, donationType: opts.donationType });
  } else {
    const parsed = ZCustodyStateSchema.safeParse(opts.state);
    if (!parsed.success) {
      throw new AppError(
        "PRECONDITION_FAILED",
        "This organ's custody record is in an older format; ask an administrator.",
      );
    }
    state = parsed.data;
  }
  const event = toMachineEvent({
    kind,
    at: opts.reportedAt,
    actor: opts.actor,
    details,
    din: opts.din,
    clientEventId: opts.clientEventId,
  });
  const result = applyCustodyEvent(state, event, opts.now);
  if (!result.ok) {
    const field = FIELD_OF[result.refusal.code];
    throw new AppError(
      CODE_OF[result.refusal.code],
      result.refusal.message,
      field ? { [field]: result.refusal.message } : undefined,
    );
  }
  const preservation: TPreservationMethod =
    details.preservation ??
    state.preservation ??
    (typeof details.deviceReading === "object" ? "HYPOTHERMIC_MACHINE_PERFUSION" : "STATIC_COLD");
  const next: TCustodyState = { ...result.state, preservation };
  const deviceTemperature =
    typeof details.deviceReading === "object" ? details.deviceReading.temperatureC : undefined;
  const excursions = assessStep({
    organType: opts.organType,
    preservation,
    temperaturesC: [details.temperatureC, deviceTemperature].filter((t): t is number => t !== undefined),
    at: opts.reportedAt,
    coldIschemiaStartedAt: next.coldIschemiaStartedAt ? new Date(next.coldIschemiaStartedAt) : null,
    coldIschemiaEndedAt: next.coldIschemiaEndedAt ? new Date(next.coldIschemiaEndedAt) : null,
  });
  // The policy's judgement replaces the machine's fixed cold-storage band (one message per reading).
  const machineWarnings = result.warnings.filter((w) => !w.startsWith("Temperature "));
  return {
    state: next,
    details: excursions.length ? { ...details, excursions } : details,
    warnings: [...machineWarnings, ...excursions.map((x) => describeExcursion(x, opts.organType))],
    custodian: { orgId: next.custodian?.orgId ?? null, userId: next.custodian?.userId ?? null },
    status: STATUS_OF[next.phase],
    crossClampAt: next.coldIschemiaStartedAt ? new Date(next.coldIschemiaStartedAt) : null,
    reperfusionAt: next.coldIschemiaEndedAt ? new Date(next.coldIschemiaEndedAt) : null,
  };
}

import { z } from "zod";

/** Who records a step: the authenticated user and their organisation. */
export const ZCustodyPartySchema = z.object({
  userId: z.string().min(1),
  orgId: z.string().min(1).nullable(),
});
export type TCustodyParty = z.infer<typeof ZCustodyPartySchema>;

const ZLocationSchema = z.object({ lat: z.number(), lon: z.number(), label: z.string().max(200).optional() });
const ZDeviceReadingSchema = z.object({
  deviceId: z.string().min(1),
  temperatureC: z.number().optional(),
  flowMlMin: z.number().optional(),
  pressureMmHg: z.number().optional(),
});

const base = {
  /** Client-generated id: a retried submission is recorded once (the database keys on it). */
  clientEventId: z.string().min(1).max(100),
  /** When it happened, as reported by the person on the spot. */
  at: z.iso.datetime({ offset: true }),
  actor: ZCustodyPartySchema,
  location: ZLocationSchema.optional(),
  temperatureC: z.number().optional(),
  deviceReading: ZDeviceReadingSchema.optional(),
};

/**
 * One custody step, keyed by `kind`. Bounds of readings are checked by the state machine (so the
 * refusal message names the reading); the schema checks shape only.
 */
export const ZCustodyEventSchema = z.discriminatedUnion("kind", [
  /** Cross-clamp: cold ischemia starts. DCD donors also report when warm ischemia began. */
  z.object({
    kind: z.literal("CROSS_CLAMP"),
    ...base,
    warmIschemiaStartedAt: z.iso.datetime({ offset: true }).optional(),
  }),
  z.object({ kind: z.literal("RECOVERED"), ...base }),
  /** Packaged and labelled with its DIN. */
  z.object({ kind: z.literal("PACKAGED"), ...base, din: z.string().min(13).max(16) }),
  /** The holder hands the organ to the next party; custody moves when the receiver confirms. */
  z.object({
    kind: z.literal("HANDOFF_OFFERED"),
    ...base,
    to: ZCustodyPartySchema.partial({ userId: true }),
  }),
  z.object({ kind: z.literal("HANDOFF_ACCEPTED"), ...base }),
  z.object({ kind: z.literal("HANDOFF_DECLINED"), ...base, reason: z.string() }),
  z.object({ kind: z.literal("CHECKPOINT"), ...base }),
  z.object({ kind: z.literal("ARRIVED"), ...base }),
  /** Reperfusion ends cold ischemia. */
  z.object({ kind: z.literal("TRANSPLANTED"), ...base }),
  z.object({ kind: z.literal("DISCARDED"), ...base, reason: z.string() }),
  /** Sent back for re-allocation (recipient unsuitable, logistics): the journey continues. */
  z.object({ kind: z.literal("RETURNED"), ...base, reason: z.string() }),
]);
export type TCustodyEvent = z.infer<typeof ZCustodyEventSchema>;
export type TCustodyEventKind = TCustodyEvent["kind"];

export const CUSTODY_PHASES = [
  "AWAITING_RECOVERY",
  "CLAMPED",
  "RECOVERED",
  "PACKAGED",
  "HANDOFF_PENDING",
  "IN_TRANSIT",
  "ARRIVED",
  "RETURNED",
  "TRANSPLANTED",
  "DISCARDED",
] as const;
export type TCustodyPhase = (typeof CUSTODY_PHASES)[number];

/** The organ's custody state, JSON-safe (stored beside the events for fast reads). */
export const ZCustodyStateSchema = z.object({
  organType: z.string(),
  donationType: z.enum(["DBD", "DCD"]),
  phase: z.enum(CUSTODY_PHASES),
  /** Events applied so far. */
  sequence: z.number().int().min(0),
  custodian: ZCustodyPartySchema.nullable(),
  pendingHandoff: z
    .object({
      from: ZCustodyPartySchema,
      to: ZCustodyPartySchema.partial({ userId: true }),
      offeredAt: z.string(),
      phaseBefore: z.enum(CUSTODY_PHASES),
    })
    .nullable(),
  din: z.string().nullable(),
  coldIschemiaStartedAt: z.string().nullable(),
  coldIschemiaEndedAt: z.string().nullable(),
  warmIschemiaStartedAt: z.string().nullable(),
  warmIschemiaMinutes: z.number().nullable(),
  lastEventAt: z.string().nullable(),
  lastLocation: z.object({ lat: z.number(), lon: z.number(), at: z.string() }).nullable(),
  lastTemperatureC: z.number().nullable(),
  outcomeReason: z.string().nullable(),
  /** The preservation method last declared (its temperature range applies); absent in older states. */
  preservation: z
    .enum(["STATIC_COLD", "HYPOTHERMIC_MACHINE_PERFUSION", "NORMOTHERMIC_MACHINE_PERFUSION"])
    .nullable()
    .optional(),
});
export type TCustodyState = z.infer<typeof ZCustodyStateSchema>;

export const CUSTODY_REFUSAL_CODES = [
  "TRANSITION_NOT_ALLOWED",
  "NOT_CUSTODIAN",
  "NOT_RECEIVER",
  "TIME_BEFORE_PREVIOUS",
  "TIME_IN_FUTURE",
  "TEMPERATURE_IMPLAUSIBLE",
  "LOCATION_IMPLAUSIBLE",
  "DEVICE_READING_IMPLAUSIBLE",
  "REASON_REQUIRED",
  "INVALID_EVENT",
] as const;
export type TCustodyRefusal = { code: (typeof CUSTODY_REFUSAL_CODES)[number]; message: string };

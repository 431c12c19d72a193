import { distanceNm } from "@/server/matching/rules/distance";
import type {
  TCustodyEvent,
  TCustodyEventKind,
  TCustodyParty,
  TCustodyPhase,
  TCustodyRefusal,
  TCustodyState,
} from "./custody-event-schema";
import { validateDonationIdentificationNumber } from "./donation-identification-number";

/** Plausibility bounds and tolerances; defaults suit static cold storage and machine perfusion. */
export type TCustodyLimits = {
  clockSkewMs: number;
  /**
   * How far a step's reported time may fall before the previous step's: two people submitting
   * together, each device with its own clock, may arrive in either order.
   */
  simultaneousMs: number;
  temperatureC: { min: number; max: number };
  /** Readings outside this band are accepted but flagged (cold storage expects 0–10 °C). */
  coldStorageC: { min: number; max: number };
  /** Faster than this between two fixes means a wrong location (an airliner cruises ~490 kn). */
  maxSpeedKnots: number;
  flowMlMin: { min: number; max: number };
  pressureMmHg: { min: number; max: number };
  /** Longest plausible warm ischemia before a DCD cross-clamp. */
  maxWarmIschemiaMinutes: number;
};

export const DEFAULT_CUSTODY_LIMITS: TCustodyLimits = {
  clockSkewMs: 2 * 60_000,
  simultaneousMs: 30_000,
  temperatureC: { min: -5, max: 40 },
  coldStorageC: { min: 0, max: 10 },
  maxSpeedKnots: 600,
  flowMlMin: { min: 0, max: 3000 },
  pressureMmHg: { min: 0, max: 150 },
  maxWarmIschemiaMinutes: 180,
};

/** Phases each step may follow. Terminal phases (TRANSPLANTED, DISCARDED) accept nothing. */
const FROM: Record<TCustodyEventKind, readonly TCustodyPhase[]> = {
  CROSS_CLAMP: ["AWAITING_RECOVERY"],
  RECOVERED: ["CLAMPED"],
  PACKAGED: ["RECOVERED"],
  HANDOFF_OFFERED: ["PACKAGED", "IN_TRANSIT", "ARRIVED", "RETURNED"],
  HANDOFF_ACCEPTED: ["HANDOFF_PENDING"],
  HANDOFF_DECLINED: ["HANDOFF_PENDING"],
  CHECKPOINT: ["PACKAGED", "HANDOFF_PENDING", "IN_TRANSIT", "ARRIVED", "RETURNED"],
  ARRIVED: ["IN_TRANSIT"],
  TRANSPLANTED: ["ARRIVED"],
  DISCARDED: ["CLAMPED", "RECOVERED", "PACKAGED", "HANDOFF_PENDING", "IN_TRANSIT", "ARRIVED", "RETURNED"],
  RETURNED: ["PACKAGED", "IN_TRANSIT", "ARRIVED"],
};

const words = (s: string) => s.toLowerCase().replace(/_/g, " ");

/** The state of an organ before its first custody step. */
export function initialCustodyState(opts: { organType: string; donationType: "DBD" | "DCD" }): TCustodyState {
  return {
    organType: opts.organType,
    donationType: opts.donationType,
    phase: "AWAITING_RECOVERY",
    sequence: 0,
    custodian: null,
    pendingHandoff: null,
    din: null,
    coldIschemiaStartedAt: null,
    coldIschemiaEndedAt: null,
    warmIschemiaStartedAt: null,
    warmIschemiaMinutes: null,
    lastEventAt: null,
    lastLocation: null,
    lastTemperatureC: null,
    outcomeReason: null,
  };
}

/** Custody is held by the person, or by anyone of the holding organisation. */
export function holdsCustody(actor: TCustodyParty, custodian: TCustodyParty | null): boolean {
  return (
    custodian !== null &&
    (actor.userId === custodian.userId || (custodian.orgId !== null && actor.orgId === custodian.orgId))
  );
}

const isReceiver = (actor: TCustodyParty, to: { userId?: string; orgId: string | null }) =>
  to.userId ? actor.userId === to.userId : to.orgId !== null && actor.orgId === to.orgId;

const refuse = (code: TCustodyRefusal["code"], message: string) => ({
  ok: false as const,
  refusal: { code, message },
});

/**
 * Applies one custody step to an organ's state, or refuses it with a message the person on the
 * spot can act on: a step the journey does not allow now, a hand-off or reading by someone not
 * holding custody, a confirmation by someone other than the named receiver, a time before the
 * previous step or in the future (beyond the clock-skew allowance), an implausible temperature,
 * location or device reading, a discard or return without a reason. Pure; the caller persists.
 */
export function applyCustodyEvent(
  state: TCustodyState,
  event: TCustodyEvent,
  now: Date,
  limits: TCustodyLimits = DEFAULT_CUSTODY_LIMITS,
): { ok: true; state: TCustodyState; warnings: string[] } | { ok: false; refusal: TCustodyRefusal } {
  if (state.phase === "TRANSPLANTED" || state.phase === "DISCARDED") {
    return refuse(
      "TRANSITION_NOT_ALLOWED",
      `The organ was ${words(state.phase)}; no further custody steps can be recorded.`,
    );
  }
  if (!FROM[event.kind].includes(state.phase)) {
    return refuse(
      "TRANSITION_NOT_ALLOWED",
      `A ${words(event.kind)} cannot be recorded while the organ is ${words(state.phase)}.`,
    );
  }
  const atMs = Date.parse(event.at);
  if (Number.isNaN(atMs)) return refuse("INVALID_EVENT", "The time given is not a valid date and time.");
  if (atMs > now.getTime() + limits.clockSkewMs) {
    return refuse(
      "TIME_IN_FUTURE",
      `The time given (${event.at}) is in the future; check the device clock and time zone.`,
    );
  }
  // Two people (or devices) submitting together: the one whose clock reads a little earlier may
  // arrive second. A time up to `simultaneousMs` before the previous step is accepted; the ledger's
  // order is the sequence, and the journey's clock (lastEventAt) never goes back.
  if (state.lastEventAt && atMs < Date.parse(state.lastEventAt) - limits.simultaneousMs) {
    return refuse(
      "TIME_BEFORE_PREVIOUS",
      `The time given (${event.at}) is before the previous step (${state.lastEventAt}) by more than ${limits.simultaneousMs / 1000} seconds.`,
    );
  }

  const actor = event.actor;
  const byReceiver = event.kind === "HANDOFF_ACCEPTED" || event.kind === "HANDOFF_DECLINED";
  if (byReceiver) {
    const to = state.pendingHandoff?.to;
    if (!to || !isReceiver(actor, to)) {
      return refuse(
        "NOT_RECEIVER",
        "Only the party the organ is being handed to can confirm or decline this hand-off.",
      );
    }
  } else if (event.kind !== "CROSS_CLAMP" && !holdsCustody(actor, state.custodian)) {
    return refuse(
      "NOT_CUSTODIAN",
      `Only the party holding custody can record a ${words(event.kind)}; you do not hold this organ.`,
    );
  }

  const warnings: string[] = [];
  const readings = checkReadings(state, event, atMs, limits, warnings);
  if (readings) return { ok: false, refusal: readings };

  const next: TCustodyState = {
    ...state,
    sequence: state.sequence + 1,
    lastEventAt: new Date(
      Math.max(atMs, state.lastEventAt ? Date.parse(state.lastEventAt) : atMs),
    ).toISOString(),
  };
  const eventAt = new Date(atMs).toISOString();
  if (event.location) next.lastLocation = { lat: event.location.lat, lon: event.location.lon, at: eventAt };
  const temperature = event.temperatureC ?? event.deviceReading?.temperatureC;
  if (temperature !== undefined) next.lastTemperatureC = temperature;

  switch (event.kind) {
    case "CROSS_CLAMP": {
      if (state.donationType === "DCD") {
        if (!event.warmIschemiaStartedAt) {
          return refuse(
            "INVALID_EVENT",
            "A DCD cross-clamp needs the time warm ischemia began (withdrawal of life support).",
          );
        }
        const warmMinutes = (atMs - Date.parse(event.warmIschemiaStartedAt)) / 60_000;
        if (!(warmMinutes >= 0 && warmMinutes <= limits.maxWarmIschemiaMinutes)) {
          return refuse(
            "INVALID_EVENT",
            `Warm ischemia must begin before the cross-clamp and within ${limits.maxWarmIschemiaMinutes} minutes of it.`,
          );
        }
        next.warmIschemiaStartedAt = new Date(Date.parse(event.warmIschemiaStartedAt)).toISOString();
        next.warmIschemiaMinutes = warmMinutes;
      }
      next.phase = "CLAMPED";
      next.custodian = actor;
      next.coldIschemiaStartedAt = eventAt;
      break;
    }
    case "RECOVERED":
      next.phase = "RECOVERED";
      break;
    case "PACKAGED": {
      const din = validateDonationIdentificationNumber(event.din);
      if (!din.ok) return refuse("INVALID_EVENT", `Label: ${din.message}`);
      next.phase = "PACKAGED";
      next.din = din.din + din.checkCharacter;
      break;
    }
    case "HANDOFF_OFFERED":
      if (
        event.to.userId
          ? event.to.userId === state.custodian?.userId
          : event.to.orgId === state.custodian?.orgId
      ) {
        return refuse(
          "INVALID_EVENT",
          "You already hold this organ; name the person or organisation you hand it to.",
        );
      }
      next.phase = "HANDOFF_PENDING";
      next.pendingHandoff = {
        from: actor,
        to: event.to,
        offeredAt: eventAt,
        phaseBefore: state.phase,
      };
      break;
    case "HANDOFF_ACCEPTED":
      next.phase = "IN_TRANSIT";
      next.custodian = actor;
      next.pendingHandoff = null;
      break;
    case "HANDOFF_DECLINED":
      if (event.reason.trim().length < 3)
        return refuse("REASON_REQUIRED", "Say why you decline the hand-off.");
      next.phase = state.pendingHandoff?.phaseBefore ?? "IN_TRANSIT";
      next.pendingHandoff = null;
      break;
    case "CHECKPOINT":
      break;
    case "ARRIVED":
      next.phase = "ARRIVED";
      break;
    case "TRANSPLANTED":
      next.phase = "TRANSPLANTED";
      next.coldIschemiaEndedAt = eventAt;
      break;
    case "DISCARDED":
    case "RETURNED":
      if (event.reason.trim().length < 3) {
        return refuse("REASON_REQUIRED", `A ${words(event.kind)} organ needs a reason; say why.`);
      }
      next.phase = event.kind;
      next.pendingHandoff = null;
      next.outcomeReason = event.reason.trim();
      break;
  }
  return { ok: true, state: next, warnings };
}

/** Bounds of temperature, location and device readings; pushes soft warnings, returns a refusal. */
function checkReadings(
  state: TCustodyState,
  event: TCustodyEvent,
  atMs: number,
  limits: TCustodyLimits,
  warnings: string[],
): TCustodyRefusal | null {
  const temps = [event.temperatureC, event.deviceReading?.temperatureC].filter((t) => t !== undefined);
  for (const t of temps) {
    if (!Number.isFinite(t) || t < limits.temperatureC.min || t > limits.temperatureC.max) {
      return {
        code: "TEMPERATURE_IMPLAUSIBLE",
        message: `A temperature of ${t} °C is outside ${limits.temperatureC.min} to ${limits.temperatureC.max} °C; check the reading and its unit.`,
      };
    }
    if (!event.deviceReading && (t < limits.coldStorageC.min || t > limits.coldStorageC.max)) {
      warnings.push(
        `Temperature ${t} °C is outside cold storage range ${limits.coldStorageC.min}–${limits.coldStorageC.max} °C.`,
      );
    }
  }
  const d = event.deviceReading;
  if (d) {
    if (
      d.flowMlMin !== undefined &&
      !(d.flowMlMin >= limits.flowMlMin.min && d.flowMlMin <= limits.flowMlMin.max)
    ) {
      return {
        code: "DEVICE_READING_IMPLAUSIBLE",
        message: `A perfusion flow of ${d.flowMlMin} mL/min is not plausible.`,
      };
    }
    if (
      d.pressureMmHg !== undefined &&
      !(d.pressureMmHg >= limits.pressureMmHg.min && d.pressureMmHg <= limits.pressureMmHg.max)
    ) {
      return {
        code: "DEVICE_READING_IMPLAUSIBLE",
        message: `A perfusion pressure of ${d.pressureMmHg} mmHg is not plausible.`,
      };
    }
  }
  const loc = event.location;
  if (loc) {
    if (!(Math.abs(loc.lat) <= 90 && Math.abs(loc.lon) <= 180)) {
      return {
        code: "LOCATION_IMPLAUSIBLE",
        message: `Location ${loc.lat}, ${loc.lon} is not a valid latitude/longitude.`,
      };
    }
    const last = state.lastLocation;
    if (last) {
      const nm = distanceNm(last, loc);
      const hours = (atMs - Date.parse(last.at)) / 3_600_000;
      if (nm > 5 && (hours <= 0 || nm / hours > limits.maxSpeedKnots)) {
        return {
          code: "LOCATION_IMPLAUSIBLE",
          message: `The organ cannot have moved ${nm.toFixed(0)} nm since the last location at ${last.at}; check the location.`,
        };
      }
    }
  }
  return null;
}

/**
 * INTERIM stand-in for the pure custody rules (state machine, ischemia policy, DIN check character)
 * that helper-3 is writing in this folder. It exists only so the DB-backed custody code compiles
 * and can be tested meanwhile; `decide-step.ts`, `ischemia-status.ts` and `din-label.ts` are the
 * only importers, and switch to the real module when it lands. Delete this file then.
 */
export type TInterimPhase =
  | "ALLOCATED"
  | "CLAMPED"
  | "RECOVERED"
  | "PACKAGED"
  | "HANDOFF_PENDING"
  | "IN_TRANSIT"
  | "ARRIVED"
  | "TRANSPLANTED"
  | "DISCARDED";

export type TInterimState = {
  phase: TInterimPhase;
  holder: { userId: string; orgId: string | null } | null;
  pending: { toUserId: string; toOrgId: string | null } | null;
  lastAt: string | null;
};

export type TInterimRefusal = {
  code: "TRANSITION" | "TIME" | "BOUNDS" | "REASON" | "INPUT";
  message: string;
};

const NEXT: Record<string, TInterimPhase[]> = {
  CROSS_CLAMP: ["ALLOCATED"],
  RECOVERED: ["CLAMPED"],
  PACKAGED: ["RECOVERED"],
  HANDOFF_OFFERED: ["PACKAGED", "IN_TRANSIT", "ARRIVED"],
  HANDOFF_ACCEPTED: ["HANDOFF_PENDING"],
  CHECKPOINT: ["PACKAGED", "IN_TRANSIT", "HANDOFF_PENDING"],
  ARRIVED: ["IN_TRANSIT"],
  TRANSPLANTED: ["ARRIVED"],
  DISCARDED: ["CLAMPED", "RECOVERED", "PACKAGED", "HANDOFF_PENDING", "IN_TRANSIT", "ARRIVED"],
};

export function interimApply(
  state: TInterimState | null,
  event: {
    kind: string;
    at: Date;
    actor: { userId: string; orgId: string | null };
    details: Record<string, unknown>;
  },
  now: Date,
): { ok: true; state: TInterimState } | { ok: false; refusal: TInterimRefusal } {
  const s: TInterimState = state ?? { phase: "ALLOCATED", holder: null, pending: null, lastAt: null };
  const allowed = NEXT[event.kind];
  if (!allowed)
    return { ok: false, refusal: { code: "INPUT", message: `Unknown custody step "${event.kind}".` } };
  if (!allowed.includes(s.phase)) {
    return {
      ok: false,
      refusal: {
        code: "TRANSITION",
        message: `A ${event.kind.toLowerCase().replace(/_/g, " ")} cannot be recorded while the organ is ${s.phase.toLowerCase().replace(/_/g, " ")}.`,
      },
    };
  }
  if (event.at.getTime() > now.getTime() + 2 * 60_000) {
    return {
      ok: false,
      refusal: { code: "TIME", message: "The time given is in the future; check the clock and time zone." },
    };
  }
  if (s.lastAt && event.at.getTime() < Date.parse(s.lastAt)) {
    return {
      ok: false,
      refusal: {
        code: "TIME",
        message: `The time given is before the previous step (${s.lastAt}); check the time.`,
      },
    };
  }
  const t = event.details.temperatureC;
  if (t !== undefined && (typeof t !== "number" || t < -5 || t > 40)) {
    return {
      ok: false,
      refusal: {
        code: "BOUNDS",
        message: "The temperature must be between −5 °C and 40 °C; check the reading.",
      },
    };
  }
  const next: TInterimState = { ...s, lastAt: event.at.toISOString() };
  switch (event.kind) {
    case "CROSS_CLAMP":
      next.phase = "CLAMPED";
      next.holder = event.actor;
      break;
    case "RECOVERED":
    case "PACKAGED":
      next.phase = event.kind;
      break;
    case "HANDOFF_OFFERED": {
      const to = event.details.toUserId;
      if (typeof to !== "string") {
        return { ok: false, refusal: { code: "INPUT", message: "Name the person you hand the organ to." } };
      }
      next.phase = "HANDOFF_PENDING";
      next.pending = { toUserId: to, toOrgId: (event.details.toOrgId as string | null) ?? null };
      break;
    }
    case "HANDOFF_ACCEPTED":
      next.phase = "IN_TRANSIT";
      next.holder = event.actor;
      next.pending = null;
      break;
    case "ARRIVED":
      next.phase = "ARRIVED";
      next.holder = event.actor;
      break;
    case "TRANSPLANTED":
      next.phase = "TRANSPLANTED";
      break;
    case "DISCARDED":
      if (typeof event.details.reason !== "string" || event.details.reason.trim().length < 3) {
        return {
          ok: false,
          refusal: { code: "REASON", message: "A discard needs a reason; say why the organ is discarded." },
        };
      }
      next.phase = "DISCARDED";
      break;
  }
  return { ok: true, state: next };
}

/** Upper planning limits of cold ischemia (hours), ../shared/DOMAIN.md. */
export const INTERIM_LIMIT_HOURS: Record<string, number> = {
  HEART: 6,
  LUNG: 8,
  LIVER: 12,
  INTESTINE: 12,
  PANCREAS: 18,
  KIDNEY: 36,
};

const MOD37 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";
/** ISO 7064 mod 37-2 check character. */
export function interimCheckCharacter(body: string): string {
  let sum = 0;
  for (const ch of body) sum = ((sum + MOD37.indexOf(ch)) * 2) % 37;
  return MOD37[(38 - sum) % 37] as string;
}

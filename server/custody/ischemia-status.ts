import { ischemiaClock } from "./ischemia-clock";
import { ISCHEMIA_POLICY_V1 } from "./ischemia-limits";

/** The organ type's cold ischemia limit in minutes (policy data), or null for an unknown type. */
export function coldIschemiaLimitMinutes(organType: string): number | null {
  const limit = ISCHEMIA_POLICY_V1.limits[organType as keyof typeof ISCHEMIA_POLICY_V1.limits];
  return limit ? limit.maxHours * 60 : null;
}

/**
 * Where an organ's cold ischemia clock stands for alerts: % of its type's limit used, minutes
 * left, and the alert threshold reached (0, or the policy's warn / escalate percentages).
 */
export function coldIschemiaStatus(opts: { organType: string; crossClampAt: Date; now: Date }): {
  percentUsed: number;
  minutesLeft: number;
  level: number;
} {
  if (coldIschemiaLimitMinutes(opts.organType) === null) {
    return { percentUsed: 0, minutesLeft: Number.POSITIVE_INFINITY, level: 0 };
  }
  const clock = ischemiaClock({ organType: opts.organType, startedAt: opts.crossClampAt, now: opts.now });
  const level =
    clock.level === "OK"
      ? 0
      : clock.level === "WARNING"
        ? ISCHEMIA_POLICY_V1.warnAtPercent
        : ISCHEMIA_POLICY_V1.escalateAtPercent;
  return { percentUsed: clock.percentUsed, minutesLeft: clock.remainingMinutes, level };
}

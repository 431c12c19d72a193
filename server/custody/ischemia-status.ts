import { INTERIM_LIMIT_HOURS } from "./interim-rules";

/** The organ type's cold ischemia limit in minutes (policy data), or null for an unknown type. */
export function coldIschemiaLimitMinutes(organType: string): number | null {
  const hours = INTERIM_LIMIT_HOURS[organType];
  return hours ? hours * 60 : null;
}

/**
 * Where an organ's cold ischemia clock stands: % of its type's limit used, minutes left, and the
 * alert level reached (0, 75 or 90).
 */
export function coldIschemiaStatus(opts: { organType: string; crossClampAt: Date; now: Date }): {
  percentUsed: number;
  minutesLeft: number;
  level: 0 | 75 | 90;
} {
  const limit = coldIschemiaLimitMinutes(opts.organType);
  if (!limit) return { percentUsed: 0, minutesLeft: Number.POSITIVE_INFINITY, level: 0 };
  const elapsed = (opts.now.getTime() - opts.crossClampAt.getTime()) / 60_000;
  const percentUsed = (elapsed / limit) * 100;
  return {
    percentUsed,
    minutesLeft: limit - elapsed,
    level: percentUsed >= 90 ? 90 : percentUsed >= 75 ? 75 : 0,
  };
}

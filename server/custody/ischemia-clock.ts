import { ISCHEMIA_POLICY_V1, type TIschemiaPolicy } from "./ischemia-limits";

export type TIschemiaLevel = "OK" | "WARNING" | "CRITICAL" | "EXCEEDED";

export type TIschemiaClock = {
  limitMinutes: number;
  elapsedMinutes: number;
  /** Negative once the limit is passed. */
  remainingMinutes: number;
  percentUsed: number;
  level: TIschemiaLevel;
  /** True once reperfusion ended the clock. */
  stopped: boolean;
  /** Present when an estimated arrival is given and the clock still runs. */
  arrival: {
    minutesUntilArrival: number;
    percentUsedAtArrival: number;
    /** Time left at arrival; negative means the organ arrives after the limit. */
    marginMinutes: number;
    levelAtArrival: TIschemiaLevel;
  } | null;
};

const levelOf = (percent: number, p: TIschemiaPolicy): TIschemiaLevel =>
  percent >= 100
    ? "EXCEEDED"
    : percent >= p.escalateAtPercent
      ? "CRITICAL"
      : percent >= p.warnAtPercent
        ? "WARNING"
        : "OK";

/**
 * Where an organ's cold-ischemia clock stands at `now`: elapsed and remaining minutes against its
 * type's limit, % used, alert level (75 % warning, 90 % critical by default), and the same at the
 * estimated arrival. After reperfusion (`endedAt`) the clock stops at its final value.
 * Precondition: `organType` is in the policy (throws otherwise — a data error, not a user one).
 */
export function ischemiaClock(opts: {
  organType: string;
  startedAt: Date;
  endedAt?: Date | null;
  now: Date;
  estimatedArrivalAt?: Date | null;
  policy?: TIschemiaPolicy;
}): TIschemiaClock {
  const policy = opts.policy ?? ISCHEMIA_POLICY_V1;
  const limit = policy.limits[opts.organType as keyof TIschemiaPolicy["limits"]];
  if (!limit) throw new Error(`No cold-ischemia limit for organ type ${opts.organType}`);
  const limitMinutes = limit.maxHours * 60;
  const endMs = opts.endedAt ? opts.endedAt.getTime() : opts.now.getTime();
  const elapsedMinutes = Math.max(0, (endMs - opts.startedAt.getTime()) / 60_000);
  const percentUsed = (elapsedMinutes / limitMinutes) * 100;
  let arrival: TIschemiaClock["arrival"] = null;
  if (opts.estimatedArrivalAt && !opts.endedAt) {
    const atArrival = Math.max(0, (opts.estimatedArrivalAt.getTime() - opts.startedAt.getTime()) / 60_000);
    const pct = (atArrival / limitMinutes) * 100;
    arrival = {
      minutesUntilArrival: Math.max(0, (opts.estimatedArrivalAt.getTime() - opts.now.getTime()) / 60_000),
      percentUsedAtArrival: pct,
      marginMinutes: limitMinutes - atArrival,
      levelAtArrival: levelOf(pct, policy),
    };
  }
  return {
    limitMinutes,
    elapsedMinutes,
    remainingMinutes: limitMinutes - elapsedMinutes,
    percentUsed,
    level: levelOf(percentUsed, policy),
    stopped: Boolean(opts.endedAt),
    arrival,
  };
}

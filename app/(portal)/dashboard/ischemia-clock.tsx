import { usePreferences } from "@/app/_components/preferences";
import type { TOrganInFlight } from "@/server/custody/custody-views";
import { ischemiaClock } from "@/server/custody/ischemia-clock";
import { formatTime } from "@/server/format/format";

const hms = (minutes: number) => {
  const sign = minutes < 0 ? "−" : "";
  const total = Math.floor(Math.abs(minutes) * 60);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
};

const COLOUR = {
  OK: "text-slate-900",
  WARNING: "text-amber-800",
  CRITICAL: "text-red-800",
  EXCEEDED: "text-red-900",
};

/**
 * Cold ischemia for one organ, from the pure clock (server/custody/ischemia-clock): elapsed since
 * cross-clamp (stopped at reperfusion), time left against the organ type's limit, % used, and the
 * reported arrival against the time left. `now` is server time, ticked by the parent.
 */
export function IschemiaClock({ organ, now }: { organ: TOrganInFlight; now: number }) {
  const { timeZone } = usePreferences().preferences;
  if (!organ.crossClampAt) return <span className="text-slate-700">not started</span>;
  if (!organ.coldIschemiaLimitMinutes) return <span>{organ.crossClampAt}</span>;
  const clock = ischemiaClock({
    organType: organ.type,
    startedAt: new Date(organ.crossClampAt),
    endedAt: organ.reperfusionAt ? new Date(organ.reperfusionAt) : null,
    now: new Date(now),
    estimatedArrivalAt: organ.etaAt ? new Date(organ.etaAt) : null,
  });
  return (
    <div className={COLOUR[clock.level]} data-testid="ischemia-clock" data-level={clock.level}>
      <span className="font-mono" data-testid="ischemia-elapsed">
        {hms(clock.elapsedMinutes)}
      </span>{" "}
      · {clock.percentUsed.toFixed(0)} % used ·{" "}
      <span className="font-mono">{hms(clock.remainingMinutes)}</span> left
      {clock.level !== "OK" ? <strong className="ml-1">({clock.level.toLowerCase()})</strong> : null}
      {clock.arrival && organ.etaAt ? (
        <div
          className={`text-xs ${clock.arrival.marginMinutes < 0 ? "font-semibold text-red-800" : "text-slate-700"}`}
        >
          ETA {formatTime(organ.etaAt, timeZone)}:{" "}
          {clock.arrival.marginMinutes < 0
            ? `${hms(-clock.arrival.marginMinutes)} past the limit`
            : `${hms(clock.arrival.marginMinutes)} to spare`}
        </div>
      ) : null}
      {clock.stopped ? <div className="text-xs">stopped at reperfusion</div> : null}
    </div>
  );
}

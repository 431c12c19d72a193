import type { TOrganInFlight } from "@/server/custody/custody-views";

const hm = (ms: number) => {
  const sign = ms < 0 ? "−" : "";
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
};

/**
 * Cold ischemia for one organ: elapsed since cross-clamp (stopped at reperfusion), time left
 * against the organ type's limit, % used, and the reported arrival against the time left.
 * Pure presentation: `now` is server time, ticked by the parent.
 */
export function IschemiaClock({ organ, now }: { organ: TOrganInFlight; now: number }) {
  if (!organ.crossClampAt) return <span className="text-slate-600">not started</span>;
  const start = Date.parse(organ.crossClampAt);
  const end = organ.reperfusionAt ? Date.parse(organ.reperfusionAt) : now;
  const elapsed = Math.max(0, end - start);
  const limitMs = organ.coldIschemiaLimitMinutes ? organ.coldIschemiaLimitMinutes * 60_000 : null;
  const used = limitMs ? (elapsed / limitMs) * 100 : null;
  const left = limitMs ? limitMs - elapsed : null;
  const eta = organ.etaAt ? Date.parse(organ.etaAt) : null;
  const marginAtArrival = limitMs && eta ? start + limitMs - eta : null;
  const level = used === null ? "ok" : used >= 90 ? "critical" : used >= 75 ? "warning" : "ok";
  const colour =
    level === "critical" ? "text-red-800" : level === "warning" ? "text-amber-800" : "text-slate-900";
  return (
    <div className={colour} data-testid="ischemia-clock" data-level={level}>
      <span className="font-mono" data-testid="ischemia-elapsed">
        {hm(elapsed)}
      </span>
      {used !== null && left !== null ? (
        <>
          {" "}
          · {used.toFixed(0)} % used · <span className="font-mono">{hm(left)}</span> left
          {level !== "ok" ? <strong className="ml-1">({level})</strong> : null}
        </>
      ) : null}
      {marginAtArrival !== null ? (
        <div className={`text-xs ${marginAtArrival < 0 ? "font-semibold text-red-800" : "text-slate-700"}`}>
          ETA {new Date(eta as number).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}:{" "}
          {marginAtArrival < 0 ? `${hm(-marginAtArrival)} past the limit` : `${hm(marginAtArrival)} to spare`}
        </div>
      ) : null}
      {organ.reperfusionAt ? <div className="text-xs">stopped at reperfusion</div> : null}
    </div>
  );
}

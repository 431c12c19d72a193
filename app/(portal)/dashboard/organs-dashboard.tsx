"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { usePreferences } from "@/app/_components/preferences";
import { Card } from "@/app/_components/ui";
import type { TOrganInFlight } from "@/server/custody/custody-views";
import { formatTime } from "@/server/format/format";
import { IschemiaClock } from "./ischemia-clock";
import { useCustodyLive } from "./use-custody-live";

const KIND_LABEL: Record<string, string> = {};
const label = (s: string | null) =>
  s
    ? (KIND_LABEL[s] ??
      s
        .toLowerCase()
        .replace(/[_.]/g, " ")
        .replace(/^\w/, (c) => c.toUpperCase()))
    : "—";

/** Ticks once a second; the clocks compute from server timestamps plus the measured offset. */
function useNow(offsetMs: number): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    setNow(Date.now() + offsetMs);
    const timer = setInterval(() => setNow(Date.now() + offsetMs), 1000);
    return () => clearInterval(timer);
  }, [offsetMs]);
  return now;
}

function OrganRow({ organ, now }: { organ: TOrganInFlight; now: number }) {
  const { timeZone } = usePreferences().preferences;
  return (
    <tr
      className={`border-b border-slate-100 align-top ${organ.excursionCount > 0 ? "bg-red-50" : ""}`}
      data-testid="organ-row"
      data-organ-id={organ.id}
      data-excursions={organ.excursionCount}
    >
      <th scope="row" className="py-2 pr-3 text-left font-medium" data-label="Organ">
        <Link href={`/organs/${organ.id}`} className="text-brand-700 underline">
          {organ.type.toLowerCase()}
          {organ.laterality ? ` (${organ.laterality.toLowerCase()})` : ""}
        </Link>
        <div className="font-mono text-xs text-slate-600">{organ.din}</div>
      </th>
      <td className="pr-3" data-testid="organ-state" data-label="State">
        {label(organ.custodyState ?? organ.status)}
      </td>
      <td className="pr-3" data-testid="organ-holder" data-label="Holder">
        {organ.holderUser?.name ?? "—"}
        {organ.holderOrg ? <div className="text-xs text-slate-600">{organ.holderOrg.name}</div> : null}
      </td>
      <td className="pr-3" data-testid="organ-checkpoint" data-label="Last checkpoint">
        {organ.lastCheckpoint ? (
          <>
            {organ.lastCheckpoint.location ?? "—"}
            {organ.lastCheckpoint.temperatureC !== null ? `, ${organ.lastCheckpoint.temperatureC} °C` : ""}
            <div className="text-xs text-slate-600">{formatTime(organ.lastCheckpoint.at, timeZone)}</div>
          </>
        ) : (
          "—"
        )}
        {organ.lastExcursion ? (
          <p
            className="mt-1 rounded bg-red-100 px-2 py-1 text-xs font-medium text-red-900"
            data-testid="excursion-flag"
          >
            <span className="font-bold uppercase">Excursion</span>
            {organ.excursionCount > 1 ? ` (${organ.excursionCount} steps)` : ""}:{" "}
            {organ.lastExcursion.message}
          </p>
        ) : null}
      </td>
      <td className="pr-3" data-label="Destination">
        {organ.destination?.name ?? "—"}
      </td>
      <td data-label="Cold ischemia">
        <IschemiaClock organ={organ} now={now} />
      </td>
    </tr>
  );
}

/**
 * Live dashboard of the organs in flight for the coordinator's organisation (OPO: recovered by it;
 * centre: coming to it): holder, last checkpoint, ticking cold-ischemia clock, updated over
 * socket.io without reloading.
 */
export function OrgansDashboard() {
  const live = useCustodyLive();
  const now = useNow(live.offsetMs);
  return (
    <Card title="Organs in flight">
      <p className="mb-3 text-sm text-slate-700" data-testid="custody-live" data-state={live.state}>
        {live.state === "connected"
          ? "Updated live."
          : live.state === "offline"
            ? "Live updates interrupted; reconnecting and catching up…"
            : "Connecting to live updates…"}
      </p>
      <div aria-live="polite" role="status" className="mb-3 space-y-1">
        {live.alerts.slice(0, 5).map((a) => (
          <p
            key={`${a.organId}-${a.level}`}
            data-testid="ischemia-alert"
            className={`rounded px-3 py-2 text-sm ${a.level >= 90 ? "bg-red-100 text-red-900" : "bg-amber-100 text-amber-900"}`}
          >
            {a.message}
          </p>
        ))}
      </div>
      {live.loading ? <p>Loading organs…</p> : null}
      {live.error ? <p role="alert">Could not load organs: {live.error}</p> : null}
      {!live.loading && live.organs.length === 0 ? <p>No organs in flight.</p> : null}
      {live.organs.length > 0 ? (
        <div className="md:overflow-x-auto">
          <table className="stack-sm w-full text-left text-sm" data-testid="organs-in-flight">
            <caption className="sr-only">
              Organs in flight, with holder, last checkpoint and ischemia clock
            </caption>
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className="py-2">
                  Organ
                </th>
                <th scope="col">State</th>
                <th scope="col">Holder</th>
                <th scope="col">Last checkpoint</th>
                <th scope="col">Destination</th>
                <th scope="col">Cold ischemia</th>
              </tr>
            </thead>
            <tbody>
              {live.organs.map((o) => (
                <OrganRow key={o.id} organ={o} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}

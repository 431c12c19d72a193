"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { usePreferences } from "@/app/_components/preferences";
import { Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formatDateTime } from "@/server/format/format";
import { EVENT_TYPES } from "@/server/ledger/event-types";

const TYPES = Object.keys(EVENT_TYPES).sort();

/** The newest ledger events, their anchoring state, a proof page and an audit bundle for each subject. */
export function RecentEvents() {
  const trpc = useTRPC();
  const { timeZone } = usePreferences().preferences;
  const [type, setType] = useState("");
  const events = useQuery({
    ...trpc.ledger.listRecentEvents.queryOptions({ limit: 25, type: type || undefined }),
    refetchInterval: 2000,
  });
  return (
    <Card title="Ledger: newest events">
      <label className="mb-3 flex items-center gap-2 text-sm">
        Event type
        <select
          value={type}
          onChange={(e) => setType(e.target.value)}
          className="rounded border border-slate-400 bg-white px-2 py-1"
        >
          <option value="">All</option>
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      {events.isPending ? <p>Loading events…</p> : null}
      {events.error ? <p role="alert">Could not load events: {events.error.message}</p> : null}
      {events.data?.length === 0 ? <p>No events yet.</p> : null}
      {events.data?.length ? (
        <table className="stack-sm w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-200">
              <th scope="col" className="py-2">
                Event
              </th>
              <th scope="col">Subject</th>
              <th scope="col">When</th>
              <th scope="col">Anchoring</th>
              <th scope="col">Audit bundle</th>
            </tr>
          </thead>
          <tbody>
            {events.data.map((e) => (
              <tr key={e.id} className="border-b border-slate-100" data-testid="ledger-event">
                <td className="py-2 break-all" data-label="Event">
                  <Link className="text-brand-700 underline" href={`/proof/${e.id}`}>
                    {e.type} #{e.sequence}
                  </Link>
                </td>
                <td data-label="Subject">
                  {e.subjectType} <code className="text-xs">{e.subjectId.slice(0, 8)}</code>
                </td>
                <td data-label="When">{formatDateTime(e.serverTime, timeZone, { seconds: true })}</td>
                <td data-testid="anchor-status" data-label="Anchoring">
                  {e.anchor
                    ? `batch ${e.anchor.batch}, ${e.anchor.status.toLowerCase()}`
                    : "waiting for the next batch"}
                </td>
                <td data-label="Audit bundle">
                  <a
                    className="text-brand-700 underline"
                    href={`/api/ledger/bundle?subjectType=${encodeURIComponent(e.subjectType)}&subjectId=${encodeURIComponent(e.subjectId)}`}
                    download
                  >
                    Download
                    <span className="sr-only">
                      {" "}
                      the audit bundle of {e.subjectType} {e.subjectId}
                    </span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Card>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { io } from "socket.io-client";
import { usePreferences } from "@/app/_components/preferences";
import { Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import type { TRole } from "@/server/auth/roles";
import { stepExcursions } from "@/server/custody/policy/assess-step";
import { formatDateTime } from "@/server/format/format";
import { describeSignature } from "@/server/passkey/signature-views";
import { IschemiaClock } from "../../dashboard/ischemia-clock";
import { EraseStepNote } from "./erase-step-note";
import { RecordStepForm } from "./record-step-form";

const describeDetails = (details: Record<string, unknown>) =>
  Object.entries(details)
    .filter(([k, v]) => k !== "excursions" && v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");

/** Where this organ's story continues, for the role looking at it. */
function OrganLinks({
  organId,
  role,
  related,
}: {
  organId: string;
  role: TRole;
  related: { donorCaseId: string; latestMatchRunId: string | null };
}) {
  const links: Array<[string, string]> = [[`/organs/${organId}/label`, "Printable label"]];
  if (role === "OPO_COORDINATOR")
    links.unshift([`/opo/cases/${related.donorCaseId}`, "Donor case and offers"]);
  if (role === "CENTER_COORDINATOR") links.unshift(["/center/offers", "Offers to your centre"]);
  if (role === "REGULATOR" || role === "ADMIN") {
    links.unshift([`/regulator/organs/${organId}`, "Provenance, checked against the chain"]);
    if (related.latestMatchRunId)
      links.splice(1, 0, [`/regulator/match-runs/${related.latestMatchRunId}`, "Match run replay"]);
  }
  if (role !== "REGULATOR" && role !== "ADMIN") links.push(["/organs/scan", "Scan another label"]);
  return (
    <nav aria-label="Related pages" className="mt-2">
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="organ-links">
        {links.map(([href, text]) => (
          <li key={href}>
            <Link className="text-brand-700 underline" href={href}>
              {text}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** One organ's journey, refreshed live when a step is recorded, with the ticking clock. */
export function OrganTimeline({ organId, role }: { organId: string; role: TRole }) {
  const { timeZone } = usePreferences().preferences;
  const trpc = useTRPC();
  const timeline = useQuery(trpc.custody.timeline.queryOptions({ organId }));
  const refetch = timeline.refetch;
  const [now, setNow] = useState(() => Date.now());
  const offset = timeline.data ? Date.parse(timeline.data.organ.serverNow) - timeline.dataUpdatedAt : 0;
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    const socket = io({ path: "/socket.io", withCredentials: true });
    socket.on("custody.recorded", (p: { event: { organId: string } }) => {
      if (p.event.organId === organId) void refetch();
    });
    socket.on("session", () => void refetch());
    return () => {
      socket.close();
    };
  }, [organId, refetch]);

  if (timeline.isPending) return <p>Loading the organ's journey…</p>;
  if (timeline.error) return <p role="alert">{timeline.error.message}</p>;
  const { organ, events, related } = timeline.data;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-slate-900">
          {organ.type.toLowerCase()} {organ.laterality ? `(${organ.laterality.toLowerCase()})` : ""} ·{" "}
          {organ.din}
        </h1>
        <p className="text-slate-700">
          Recovered by {organ.opo.name} · destination {organ.destination?.name ?? "not allocated"} · held by{" "}
          <span data-testid="timeline-holder">
            {organ.holderUser?.name ?? organ.holderOrg?.name ?? "nobody yet"}
          </span>
        </p>
        <div className="mt-2">
          <IschemiaClock organ={organ} now={now + offset} />
        </div>
        <OrganLinks organId={organ.id} role={role} related={related} />
      </div>
      <Card title="Journey">
        {events.length === 0 ? <p>No custody step recorded yet.</p> : null}
        <ol className="space-y-3" data-testid="timeline">
          {events.map((e) => (
            <li
              key={e.id}
              className={`border-l-4 pl-3 ${stepExcursions(e.details, organ.type).length ? "border-red-600" : "border-brand-600"}`}
              data-testid="timeline-event"
              data-kind={e.kind}
            >
              <p className="font-medium">
                #{e.sequence} {e.kind.toLowerCase().replace(/[_.]/g, " ")}
              </p>
              <p className="text-sm text-slate-700">
                {formatDateTime(e.reportedAt, timeZone, { seconds: true })} · {e.actorName ?? e.actorUserId}
                {e.actorOrgName ? `, ${e.actorOrgName}` : ""}
              </p>
              {Object.keys(e.details).length ? (
                <p className="text-sm text-slate-700" data-testid="step-details">
                  {describeDetails(e.details)}
                </p>
              ) : null}
              {e.mayEraseNote ? (
                <EraseStepNote custodyEventId={e.id} sequence={e.sequence} onDone={() => void refetch()} />
              ) : null}
              {e.noteOnLedger ? (
                <p className="text-xs text-slate-600" data-testid="note-on-ledger">
                  This note cannot be erased: it was recorded before notes were kept apart, so its words are
                  part of the permanent ledger, which is never changed.
                </p>
              ) : null}
              {e.signature ? (
                <p
                  className={`text-sm ${e.signature.status === "SIGNED" ? "text-green-900" : "text-amber-900"}`}
                  data-testid="step-signature"
                  data-status={e.signature.status}
                >
                  {describeSignature(e.signature)}
                </p>
              ) : null}
              {stepExcursions(e.details, organ.type).map((m) => (
                <p
                  key={m}
                  className="mt-1 rounded bg-red-100 px-2 py-1 text-sm font-medium text-red-900"
                  data-testid="excursion-flag"
                >
                  {m}
                </p>
              ))}
            </li>
          ))}
        </ol>
      </Card>
      {role !== "REGULATOR" && role !== "ADMIN" ? (
        <RecordStepForm organId={organ.id} role={role} onRecorded={() => void refetch()} />
      ) : null}
    </div>
  );
}

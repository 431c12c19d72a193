"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { io } from "socket.io-client";
import { Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import type { TRole } from "@/server/auth/roles";
import { IschemiaClock } from "../../dashboard/ischemia-clock";
import { RecordStepForm } from "./record-step-form";

const describeDetails = (details: Record<string, unknown>) =>
  Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");

/** One organ's journey, refreshed live when a step is recorded, with the ticking clock. */
export function OrganTimeline({ organId, role }: { organId: string; role: TRole }) {
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
  const { organ, events } = timeline.data;
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
        <p className="mt-2 text-sm">
          <Link className="text-brand-700 underline" href={`/organs/${organ.id}/label`}>
            Printable label
          </Link>
        </p>
      </div>
      <Card title="Journey">
        {events.length === 0 ? <p>No custody step recorded yet.</p> : null}
        <ol className="space-y-3" data-testid="timeline">
          {events.map((e) => (
            <li
              key={e.id}
              className="border-l-4 border-brand-600 pl-3"
              data-testid="timeline-event"
              data-kind={e.kind}
            >
              <p className="font-medium">
                #{e.sequence} {e.kind.toLowerCase().replace(/[_.]/g, " ")}
              </p>
              <p className="text-sm text-slate-700">
                {new Date(e.reportedAt).toLocaleString()} · {e.actorName ?? e.actorUserId}
                {e.actorOrgName ? `, ${e.actorOrgName}` : ""}
              </p>
              {Object.keys(e.details).length ? (
                <p className="text-sm text-slate-700">{describeDetails(e.details)}</p>
              ) : null}
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

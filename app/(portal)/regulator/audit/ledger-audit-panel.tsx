"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { usePreferences } from "@/app/_components/preferences";
import { Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import type { TLedgerAuditJobView } from "@/server/api/routers/ledger-audit/schemas";
import { formatDateTime } from "@/server/format/format";

const CHECK_NAMES: Record<string, string> = {
  hash: "Content matches its hash",
  "chain-gap": "No missing event",
  "chain-link": "Links to the previous event",
  "chain-order": "Times never go backwards",
  "chain-duplicate": "One event per sequence number",
  "chain-start": "History starts at #1",
  proof: "Inclusion proof",
  "batch-root": "Batch root matches the chain",
  "batch-count": "Batch holds all its events",
  "not-anchored": "Anchored in order",
  signature: "Signed by the portal's key",
  head: "Subject's anchored head is present",
};

/** Starts the audit, polls its progress every half second, and lists every break it names. */
export function LedgerAuditPanel() {
  const trpc = useTRPC();
  const { timeZone } = usePreferences().preferences;
  const when = (d: Date) => formatDateTime(d, timeZone, { seconds: true });
  const queryClient = useQueryClient();
  const [startError, setStartError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const statusKey = trpc.ledgerAudit.status.queryKey();
  const status = useQuery({
    ...trpc.ledgerAudit.status.queryOptions(),
    staleTime: 0,
    refetchInterval: (q) => (q.state.data && q.state.data.finishedAt === null ? 500 : false),
  });
  const startRun = useMutation(trpc.ledgerAudit.start.mutationOptions());
  const job = status.data ?? null;
  const running = job !== null && job.finishedAt === null;

  async function start() {
    setStarting(true);
    setStartError(null);
    try {
      // A POST: starting a run is work done on the server, so no other site's link may trigger it.
      const started = await startRun.mutateAsync({ runId: crypto.randomUUID() });
      queryClient.setQueryData(statusKey, started);
    } catch (err) {
      setStartError((err as Error).message);
    } finally {
      setStarting(false);
    }
  }

  const p = job?.progress;
  const total = p ? p.eventsTotal + p.batchesTotal : 0;
  const done = p ? p.eventsChecked + p.batchesChecked : 0;
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : running ? 0 : 100;
  const report = job?.report ?? null;

  return (
    <>
      <Card title="Run the audit">
        <div className="flex flex-wrap items-center gap-4">
          <Button type="button" onClick={start} disabled={running || starting}>
            {running ? "Audit running…" : "Run whole-ledger audit"}
          </Button>
          {job ? (
            <span className="text-sm text-slate-600">
              Started {when(job.startedAt)}
              {job.finishedAt ? `, finished ${when(job.finishedAt)}` : ""}
            </span>
          ) : (
            <span className="text-sm text-slate-600">No audit has run since the portal started.</span>
          )}
        </div>
        {startError ? (
          <p role="alert" className="mt-3 text-red-700">
            Could not start the audit: {startError}
          </p>
        ) : null}
        {job && p ? (
          <div className="mt-4 space-y-2">
            <div
              role="progressbar"
              aria-label="Audit progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              data-testid="audit-progress"
              className="h-3 w-full overflow-hidden rounded bg-slate-200"
            >
              <div className="h-full bg-brand-700 transition-all" style={{ width: `${percent}%` }} />
            </div>
            <p className="text-sm text-slate-700" aria-live="polite">
              {percent}% · events {p.eventsChecked.toLocaleString("en")} of{" "}
              {p.eventsTotal.toLocaleString("en")} · batches {p.batchesChecked.toLocaleString("en")} of{" "}
              {p.batchesTotal.toLocaleString("en")}
              {running ? ` · ${job.findingsSoFar} break${job.findingsSoFar === 1 ? "" : "s"} so far` : ""}
            </p>
          </div>
        ) : null}
        {job?.error ? (
          <p role="alert" className="mt-3 text-red-700">
            {job.error}
          </p>
        ) : null}
      </Card>
      {report ? <AuditResults report={report} /> : null}
    </>
  );
}

type TReport = NonNullable<TLedgerAuditJobView["report"]>;

function AuditResults({ report }: { report: TReport }) {
  const trpc = useTRPC();
  // Breaks named as people know what they concern: organ number, case code, with a link.
  const subjectList = [...new Set(report.findings.flatMap((f) => (f.subject ? [f.subject] : [])))];
  const described = useQuery({
    ...trpc.ledgerAudit.subjects.queryOptions({ subjects: subjectList }),
    enabled: subjectList.length > 0,
  });
  const about = new Map((described.data ?? []).map((d) => [d.subject, d]));
  return (
    <Card title="Results">
      <p data-testid="audit-summary">
        {report.eventsChecked.toLocaleString("en")} events and {report.batchesChecked.toLocaleString("en")}{" "}
        batches checked
        {report.chainChecked ? " against the chain" : " (no chain available: recorded roots only)"}
        {report.batchesPending > 0 ? `; ${report.batchesPending} batches still being anchored` : ""}.
      </p>
      {report.findingsTotal === 0 ? (
        <p data-testid="audit-verdict" className="mt-3 font-semibold text-green-800">
          ✔ No breaks found.
        </p>
      ) : (
        <>
          <p data-testid="audit-verdict" role="alert" className="mt-3 font-semibold text-red-700">
            ✘ {report.findingsTotal} break{report.findingsTotal === 1 ? "" : "s"} found
            {report.findingsTotal > report.findings.length
              ? ` (the first ${report.findings.length} listed)`
              : ""}
            .
          </p>
          <table className="mt-3 w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className="py-2">
                  Check
                </th>
                <th scope="col">Event</th>
                <th scope="col">Subject</th>
                <th scope="col">Sequence</th>
                <th scope="col">Batch</th>
                <th scope="col">What is wrong</th>
              </tr>
            </thead>
            <tbody>
              {report.findings.map((f, i) => (
                <tr
                  // biome-ignore lint/suspicious/noArrayIndexKey: findings have no id of their own
                  key={i}
                  className="border-b border-slate-100 align-top"
                  data-testid="audit-finding"
                  data-check={f.check}
                  data-event-id={f.eventId ?? ""}
                >
                  <td className="py-2">{CHECK_NAMES[f.check] ?? f.check}</td>
                  <td>
                    {f.eventId ? (
                      <Link className="text-brand-700 underline" href={`/proof/${f.eventId}`}>
                        <code className="text-xs">{f.eventId}</code>
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="break-all" data-testid="finding-subject">
                    <SubjectCell subject={f.subject} about={f.subject ? about.get(f.subject) : undefined} />
                  </td>
                  <td>{f.sequence ?? "—"}</td>
                  <td>{f.batch ?? "—"}</td>
                  <td>{f.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Card>
  );
}

function SubjectCell({
  subject,
  about,
}: {
  subject: string | undefined;
  about: { label: string; href: string | null } | undefined;
}) {
  if (!subject) return <>—</>;
  if (!about) return <code className="text-xs">{subject}</code>;
  return (
    <>
      {about.href ? (
        <Link className="text-brand-700 underline" href={about.href}>
          {about.label}
        </Link>
      ) : (
        about.label
      )}
      <br />
      <code className="text-xs text-slate-600">{subject}</code>
    </>
  );
}

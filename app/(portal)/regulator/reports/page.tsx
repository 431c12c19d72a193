import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Card } from "@/app/_components/ui";
import { isAppError } from "@/server/errors";
import { REPORT_TITLES, type TReportName } from "@/server/regulator/report-catalogue";
import { resolveReportRange, type TReportRange, ZReportRangeSchema } from "@/server/regulator/report-series";
import {
  coldIschemiaReport,
  consentActivityReport,
  discardsByReasonReport,
  offerResponsesReport,
  organsInTransitReport,
} from "@/server/regulator/reports";
import { requireRole } from "../../require-role";
import { ConsentChart, DiscardChart, IschemiaCharts, OfferChart, TransitChart } from "./report-charts";

export const metadata: Metadata = { title: "Reports" };
export const dynamic = "force-dynamic";

const day = (d: Date) => d.toISOString().slice(0, 10);

function ReportCard({
  name,
  query,
  note,
  children,
}: {
  name: TReportName;
  query: string;
  note?: string;
  children: ReactNode;
}) {
  return (
    <Card>
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold text-slate-900">{REPORT_TITLES[name]}</h2>
        <a
          href={`/api/reports/${name}?${query}`}
          className="text-sm text-brand-700 underline"
          data-testid={`csv-${name}`}
          download
        >
          Download CSV<span className="sr-only"> of {REPORT_TITLES[name].toLowerCase()}</span>
        </a>
      </div>
      {note ? <p className="mb-2 text-sm text-slate-700">{note}</p> : null}
      {children}
    </Card>
  );
}

/** Regulators: five reports over a period, each charted and downloadable as CSV. */
export default async function ReportsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireRole("REGULATOR", "ADMIN");
  const raw = await searchParams;
  const pick = (k: string) => (typeof raw[k] === "string" && raw[k] ? (raw[k] as string) : undefined);
  const parsed = ZReportRangeSchema.safeParse({
    from: pick("from"),
    to: pick("to"),
    granularity: pick("granularity"),
  });
  let error: string | null = parsed.success ? null : parsed.error.issues.map((i) => i.message).join("; ");
  let range: TReportRange = resolveReportRange({});
  if (parsed.success) {
    try {
      range = resolveReportRange(parsed.data);
    } catch (err) {
      if (!isAppError(err)) throw err;
      error = err.message;
    }
  }
  const lastDay = new Date(range.toExclusive.getTime() - 1);
  const query = new URLSearchParams({
    from: day(range.from),
    to: day(lastDay),
    ...(range.granularity === "hour" ? { granularity: "hour" } : {}),
  }).toString();
  const [ischemia, discards, offers, transit, consent] = await Promise.all([
    coldIschemiaReport({ range }),
    discardsByReasonReport({ range }),
    offerResponsesReport({ range }),
    organsInTransitReport({ range }),
    consentActivityReport({ range }),
  ]);
  const s = offers.summary;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">Reports</h1>
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Report period">
        <label className="text-sm text-slate-800">
          From
          <input
            type="date"
            name="from"
            defaultValue={day(range.from)}
            className="ml-2 rounded-md border border-slate-400 px-2 py-1"
          />
        </label>
        <label className="text-sm text-slate-800">
          To
          <input
            type="date"
            name="to"
            defaultValue={day(lastDay)}
            className="ml-2 rounded-md border border-slate-400 px-2 py-1"
          />
        </label>
        <label className="text-sm text-slate-800">
          Transit by
          <select
            name="granularity"
            defaultValue={range.granularity}
            className="ml-2 rounded-md border border-slate-400 px-2 py-1"
          >
            <option value="day">day</option>
            <option value="hour">hour (31 days at most)</option>
          </select>
        </label>
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white">
          Show
        </button>
      </form>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}. Showing the last 30 days instead.
        </p>
      ) : null}
      <p className="text-sm text-slate-700">
        {day(range.from)} to {day(lastDay)} (UTC). Counts only; no registrant or candidate is identified.
      </p>
      <ReportCard
        name="cold-ischemia"
        query={query}
        note="Organs transplanted in the period, cross-clamp to reperfusion, per organ type; the dashed line is the type's planning limit."
      >
        <IschemiaCharts rows={ischemia} />
      </ReportCard>
      <ReportCard
        name="discards"
        query={query}
        note={`${discards.reduce((n, r) => n + r.organs, 0)} organs discarded.`}
      >
        <DiscardChart rows={discards} />
      </ReportCard>
      <ReportCard
        name="offers"
        query={query}
        note={`${s.sent} offers sent: ${s.answered} answered (median ${
          s.medianResponseMinutes === null ? "—" : `${Math.round(s.medianResponseMinutes)} min`
        }), ${s.expired} expired unanswered, ${s.withdrawn} withdrawn, ${s.pending} pending.`}
      >
        <OfferChart rows={offers.rows} />
      </ReportCard>
      <ReportCard name="transit" query={query} note={`Organs in transit per ${range.granularity} (UTC).`}>
        <TransitChart rows={transit} />
      </ReportCard>
      <ReportCard name="consent" query={query}>
        <ConsentChart rows={consent} />
      </ReportCard>
    </div>
  );
}

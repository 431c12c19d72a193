import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Card } from "@/app/_components/ui";
import { pageData, serverCaller } from "@/app/_trpc/server-caller";
import { isAppError } from "@/server/errors";
import { REPORT_TITLES, type TReportName } from "@/server/regulator/report-names";
import { resolveReportRange, type TReportRange, ZReportRangeSchema } from "@/server/regulator/report-series";
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
  const caller = await serverCaller();
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
  // The period as shown (the valid one asked for, or the default), so the charts and the CSV links agree.
  const period = {
    from: day(range.from),
    to: day(lastDay),
    ...(range.granularity === "hour" ? { granularity: "hour" as const } : {}),
  };
  const query = new URLSearchParams(period).toString();
  const reports = caller.regulatorReports;
  const [ischemia, discards, offers, transit, consent, excursions] = await Promise.all([
    pageData(reports.coldIschemia(period)),
    pageData(reports.discards(period)),
    pageData(reports.offers(period)),
    pageData(reports.transit(period)),
    pageData(reports.consent(period)),
    pageData(reports.excursions(period)),
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
      <ReportCard
        name="excursions"
        query={query}
        note={`${excursions.length} reading${excursions.length === 1 ? "" : "s"} outside the range set for the organ and its preservation method.`}
      >
        {excursions.length > 0 ? (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="excursions-report">
              <caption className="sr-only">Temperature excursions in custody</caption>
              <thead>
                <tr className="border-b border-slate-200">
                  <th scope="col" className="py-1">
                    When (UTC)
                  </th>
                  <th scope="col">Organ</th>
                  <th scope="col">Step</th>
                  <th scope="col">Reading</th>
                  <th scope="col">Range</th>
                  <th scope="col">Preservation</th>
                </tr>
              </thead>
              <tbody>
                {excursions.slice(0, 100).map((x) => (
                  <tr key={`${x.organId}-${x.at}-${x.temperatureC}`} className="border-b border-slate-100">
                    <td className="py-1">{x.at.replace("T", " ").slice(0, 16)}</td>
                    <td>
                      <Link href={`/regulator/organs/${x.organId}`} className="text-brand-700 underline">
                        {x.organType.toLowerCase()} <span className="font-mono">{x.din}</span>
                      </Link>
                    </td>
                    <td>{x.step.toLowerCase().replace(/_/g, " ")}</td>
                    <td className="font-medium text-red-900">{x.temperatureC} °C</td>
                    <td>{x.rangeC} °C</td>
                    <td>{x.preservation.toLowerCase().replace(/_/g, " ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </ReportCard>
    </div>
  );
}

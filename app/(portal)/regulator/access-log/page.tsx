import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/app/_components/ui";
import { pageData, serverCaller } from "@/app/_trpc/server-caller";
import { ACCESS_REASON_LABELS } from "@/server/consent/access-reasons";
import { formatDateTime } from "@/server/format/format";
import { ZAccessLogFilterSchema } from "@/server/regulator/access-log-filter";

export const metadata: Metadata = { title: "Personal-data access log" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;
const input = "mt-1 block rounded-md border border-slate-400 bg-white px-2 py-1 text-sm";

/** Regulators: every staff read of personal data — who, when, whose record, why — filterable. */
export default async function AccessLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const caller = await serverCaller();
  const { timeZone } = await pageData(caller.preferences.get());
  const when = (d: Date) => formatDateTime(d, timeZone);
  const raw = await searchParams;
  const pick = (k: string) => (typeof raw[k] === "string" && raw[k] ? (raw[k] as string).trim() : undefined);
  const asked = {
    staffUserId: pick("staff"),
    donorId: pick("donor"),
    reasonCode: pick("reason"),
    from: pick("from"),
    to: pick("to"),
    page: Number(pick("page") ?? "1") || 1,
    pageSize: PAGE_SIZE,
  };
  const parsed = ZAccessLogFilterSchema.safeParse(asked);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${String(i.path[0] ?? "filter")}: ${i.message}`);
  const filter = parsed.success ? parsed.data : { page: 1, pageSize: PAGE_SIZE };
  const [log, staff] = await Promise.all([
    pageData(caller.regulatorReports.accessLog(filter)),
    pageData(caller.regulatorReports.accessingStaff()),
  ]);
  const pages = Math.max(1, Math.ceil(log.total / log.pageSize));
  const pageHref = (page: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({
      staff: asked.staffUserId,
      donor: asked.donorId,
      reason: asked.reasonCode,
      from: asked.from,
      to: asked.to,
    }))
      if (v) q.set(k, v);
    q.set("page", String(page));
    return `/regulator/access-log?${q}`;
  };
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">Personal-data access log</h1>
      <p className="text-slate-700">
        Every look-up or export of a registrant's record by staff, as recorded on the ledger: who, when, whose
        record and the reason they gave. Registrants appear by record id only.
      </p>
      <Card title="Filter">
        <form method="get" className="flex flex-wrap items-end gap-4" data-testid="access-log-filter">
          <label className="text-sm text-slate-800">
            Staff member
            <select name="staff" defaultValue={asked.staffUserId ?? ""} className={input}>
              <option value="">anyone</option>
              {staff.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm text-slate-800">
            Reason
            <select name="reason" defaultValue={asked.reasonCode ?? ""} className={input}>
              <option value="">any reason</option>
              {Object.entries(ACCESS_REASON_LABELS).map(([code, label]) => (
                <option key={code} value={code}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm text-slate-800">
            Registrant record id
            <input
              name="donor"
              defaultValue={asked.donorId ?? ""}
              className={`${input} w-full font-mono sm:w-80`}
            />
          </label>
          <label className="text-sm text-slate-800">
            From
            <input type="date" name="from" defaultValue={asked.from ?? ""} className={input} />
          </label>
          <label className="text-sm text-slate-800">
            To
            <input type="date" name="to" defaultValue={asked.to ?? ""} className={input} />
          </label>
          <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white">
            Filter
          </button>
          <Link href="/regulator/access-log" className="text-sm text-brand-700 underline">
            Clear
          </Link>
        </form>
        {problems.length ? (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {problems.join("; ")}. Showing every access instead.
          </p>
        ) : null}
      </Card>
      <Card title={`${log.total} access${log.total === 1 ? "" : "es"}`}>
        {log.entries.length === 0 ? (
          <p data-testid="access-log-empty">No access matches these filters.</p>
        ) : (
          // Ids and e-mails do not wrap: on a phone the table scrolls inside its card, the page does not.
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="access-log-table">
              <thead>
                <tr className="border-b">
                  <th className="py-2">When</th>
                  <th>Staff member</th>
                  <th>Role · organisation</th>
                  <th>Record</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {log.entries.map((e) => (
                  <tr key={e.eventId} className="border-b align-top" data-testid="access-log-row">
                    <td className="py-2 whitespace-nowrap">
                      <Link href={`/proof/${e.eventId}`} className="text-brand-700 underline">
                        {when(e.at)}
                      </Link>
                    </td>
                    <td>
                      {e.staff.name ?? "unknown"}
                      {e.staff.email ? <div className="text-xs text-slate-600">{e.staff.email}</div> : null}
                    </td>
                    <td>
                      {(e.staff.role ?? "").toLowerCase().replace(/_/g, " ")}
                      {e.staff.organisation ? ` · ${e.staff.organisation}` : ""}
                    </td>
                    <td>
                      {e.donorId ? (
                        <Link
                          href={`/regulator/registrants/${e.donorId}`}
                          className="font-mono text-brand-700 underline"
                        >
                          {e.donorId.slice(0, 8)}
                        </Link>
                      ) : (
                        "search, nobody found"
                      )}
                      <div className="text-xs text-slate-600">{e.recordType.replace(/_/g, " ")}</div>
                    </td>
                    <td>
                      {e.reasonCode ? <span className="font-mono text-xs">{e.reasonCode}</span> : null}{" "}
                      {e.reason}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {pages > 1 ? (
          <nav aria-label="Pages" className="mt-3 flex gap-4 text-sm">
            {log.page > 1 ? (
              <Link href={pageHref(log.page - 1)} className="text-brand-700 underline">
                Previous
              </Link>
            ) : null}
            <span>
              Page {log.page} of {pages}
            </span>
            {log.page < pages ? (
              <Link href={pageHref(log.page + 1)} className="text-brand-700 underline">
                Next
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </div>
  );
}

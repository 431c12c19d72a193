import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/app/_components/ui";
import { pageData, serverCaller } from "@/app/_trpc/server-caller";
import { formatDateTime } from "@/server/format/format";

export const metadata: Metadata = { title: "Allocation oversight" };
export const dynamic = "force-dynamic";

/** Regulators: every match run (to replay) and every allocation out of sequence with its reason. */
export default async function AllocationOversightPage() {
  const caller = await serverCaller();
  const [{ timeZone }, runs, bypassed] = await Promise.all([
    pageData(caller.preferences.get()),
    pageData(caller.regulatorReports.matchRuns()),
    pageData(caller.regulatorReports.bypassedOffers()),
  ]);
  const when = (d: Date) => formatDateTime(d, timeZone);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">Allocation oversight</h1>
      <Card title="Allocations out of sequence">
        {bypassed.length === 0 ? (
          <p data-testid="bypass-list">No organ has been offered out of match-run order.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="bypass-list">
            <thead>
              <tr className="border-b">
                <th className="py-2">Sent</th>
                <th>Organ</th>
                <th>Offered to</th>
                <th>Rank</th>
                <th>Skipped ranks</th>
                <th>Recorded reason</th>
              </tr>
            </thead>
            <tbody>
              {bypassed.map((b) => (
                <tr key={b.offerId} className="border-b align-top">
                  <td className="py-2">{when(b.sentAt)}</td>
                  <td>
                    <Link
                      href={`/regulator/organs/${b.organId}`}
                      className="font-mono text-brand-700 underline"
                    >
                      {b.din}
                    </Link>
                  </td>
                  <td>
                    {b.candidateCode} ({b.centre})
                  </td>
                  <td>{b.rank}</td>
                  <td>{b.skippedRanks.join(", ") || "—"}</td>
                  <td>{b.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Match runs">
        {runs.length === 0 ? (
          <p>No match run recorded yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b">
                <th className="py-2">Run</th>
                <th>Organ</th>
                <th>Policy</th>
                <th>Offers</th>
                <th>Replay</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.matchRunId} className="border-b">
                  <td className="py-2">{when(r.createdAt)}</td>
                  <td>
                    <Link
                      href={`/regulator/organs/${r.organId}`}
                      className="font-mono text-brand-700 underline"
                    >
                      {r.din}
                    </Link>{" "}
                    {r.organType.toLowerCase()}
                  </td>
                  <td>{r.policy}</td>
                  <td>{r.offers}</td>
                  <td>
                    <Link href={`/regulator/match-runs/${r.matchRunId}`} className="text-brand-700 underline">
                      replay
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

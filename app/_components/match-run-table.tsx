"use client";

import Link from "next/link";
import { Fragment, type ReactNode, useState } from "react";
import { usePreferences } from "@/app/_components/preferences";
import { formatDateTime } from "@/server/format/format";

type TBreakdown = {
  attribute: string;
  group: string;
  raw: number | null;
  normalised: number;
  weight: number;
  points: number;
};
export type TRankedRow = {
  rank: number;
  candidateId: string;
  candidateCode: string;
  centre: string;
  score: number;
  distanceNm: number;
  tier: { id: string; label: string } | null;
  breakdown: TBreakdown[];
  offer: { id: string; status: string; deadline: Date; bypassReason: string | null; hasNote: boolean } | null;
};
export type TMatchRunView = {
  matchRunId: string;
  organ: { id: string; type: string; din: string; status: string; caseCode: string };
  policy: { id: string; version: number };
  createdAt: Date;
  snapshotHash: string;
  ledgerEventId: string;
  offerMode: { mode: string; topN: number; responseMinutes: number };
  rankedTotal: number;
  excludedTotal: number;
  ranked: TRankedRow[];
  excluded: Array<{ candidateId: string; candidateCode: string; code: string; message: string }>;
};

const fmt = (n: number | null, digits = 2) =>
  n === null ? "—" : Number.isInteger(n) ? String(n) : n.toFixed(digits);

/**
 * A match run as recorded: each ranked row with its score breakdown ("why here") and offer, and
 * each excluded candidate with the rule that excluded them. `action` renders per-row controls.
 */
export function MatchRunTable({
  run,
  action,
}: {
  run: TMatchRunView;
  action?: (row: TRankedRow) => ReactNode;
}) {
  const { timeZone } = usePreferences().preferences;
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="space-y-3" data-testid="match-run" data-match-run-id={run.matchRunId}>
      <p className="text-sm text-slate-700">
        Policy <span className="font-mono">{run.policy.id}</span> v{run.policy.version}, run{" "}
        {formatDateTime(run.createdAt, timeZone)}; {run.rankedTotal} ranked, {run.excludedTotal} excluded;
        offers {run.offerMode.mode === "topN" ? `to the top ${run.offerMode.topN} at once` : "one at a time"},{" "}
        {run.offerMode.responseMinutes} min to answer. Snapshot{" "}
        <span className="font-mono break-all">{run.snapshotHash.slice(0, 18)}…</span>{" "}
        <Link className="text-brand-700 underline" href={`/proof/${run.ledgerEventId}`}>
          ledger proof
        </Link>
      </p>
      <div className="md:overflow-x-auto">
        <table className="stack-sm min-w-full text-left text-sm">
          <thead className="border-b border-slate-300 text-slate-700">
            <tr>
              <th className="py-1 pr-3">Rank</th>
              <th className="py-1 pr-3">Candidate</th>
              <th className="py-1 pr-3">Centre</th>
              <th className="py-1 pr-3">Score</th>
              <th className="py-1 pr-3">Tier</th>
              <th className="py-1 pr-3">Distance</th>
              <th className="py-1 pr-3">Offer</th>
              <th className="py-1 pr-3">Why here</th>
              {action ? <th className="py-1 pr-3">Action</th> : null}
            </tr>
          </thead>
          <tbody>
            {run.ranked.map((r) => (
              <Fragment key={r.candidateId}>
                <tr className="border-b border-slate-100" data-testid="ranked-row" data-rank={r.rank}>
                  <td className="py-1 pr-3 max-md:text-base max-md:font-semibold" data-label="Rank">
                    {r.rank}
                  </td>
                  <td className="py-1 pr-3 font-mono" data-label="Candidate">
                    {r.candidateCode}
                  </td>
                  <td className="py-1 pr-3" data-label="Centre">
                    {r.centre}
                  </td>
                  <td className="py-1 pr-3" data-label="Score">
                    {r.score.toFixed(3)}
                  </td>
                  <td className="py-1 pr-3" data-label="Tier">
                    {r.tier?.label ?? "—"}
                  </td>
                  <td className="py-1 pr-3" data-label="Distance">
                    {Math.round(r.distanceNm)} nm
                  </td>
                  <td className="py-1 pr-3" data-testid="offer-status" data-label="Offer">
                    {r.offer ? (
                      <>
                        {r.offer.status.toLowerCase()}
                        {r.offer.bypassReason ? (
                          <span className="block text-xs text-amber-800">
                            out of sequence: {r.offer.bypassReason}
                          </span>
                        ) : null}
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="py-1 pr-3" data-label="Why here">
                    <button
                      type="button"
                      className="text-brand-700 underline"
                      aria-expanded={open === r.candidateId}
                      onClick={() => setOpen(open === r.candidateId ? null : r.candidateId)}
                    >
                      {open === r.candidateId ? "hide" : "show"}
                    </button>
                  </td>
                  {action ? (
                    <td className="py-1 pr-3" data-label="Action">
                      {action(r)}
                    </td>
                  ) : null}
                </tr>
                {open === r.candidateId ? (
                  <tr>
                    <td colSpan={action ? 9 : 8} className="overflow-x-auto bg-slate-50 px-3 py-2">
                      {r.breakdown.length === 0 ? (
                        <p className="text-xs text-slate-600">
                          The breakdown is stored for the top 500 rows. This row's rank and score are
                          recorded; a replay re-derives its score from the snapshot.
                        </p>
                      ) : (
                        <table className="text-xs" aria-label={`Score breakdown for ${r.candidateCode}`}>
                          <thead>
                            <tr>
                              <th className="pr-3 text-left">Attribute</th>
                              <th className="pr-3 text-left">Group</th>
                              <th className="pr-3 text-right">Value</th>
                              <th className="pr-3 text-right">Normalised</th>
                              <th className="pr-3 text-right">Weight</th>
                              <th className="pr-3 text-right">Points</th>
                            </tr>
                          </thead>
                          <tbody>
                            {r.breakdown.map((b) => (
                              <tr key={b.attribute}>
                                <td className="pr-3">{b.attribute}</td>
                                <td className="pr-3">{b.group}</td>
                                <td className="pr-3 text-right">{fmt(b.raw)}</td>
                                <td className="pr-3 text-right">{fmt(b.normalised, 3)}</td>
                                <td className="pr-3 text-right">{fmt(b.weight, 3)}</td>
                                <td className="pr-3 text-right">{b.points.toFixed(3)}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      )}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {run.excluded.length ? (
        <details>
          <summary className="cursor-pointer text-sm font-medium">
            Excluded candidates ({run.excludedTotal}) and the rule that excluded each
          </summary>
          <ul className="mt-2 space-y-1 text-sm" data-testid="excluded">
            {run.excluded.map((e) => (
              <li key={e.candidateId}>
                <span className="font-mono">{e.candidateCode}</span>:{" "}
                <span className="font-mono text-xs">{e.code}</span> {e.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { MatchRunTable } from "@/app/_components/match-run-table";
import { Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";

/** The recorded ranking, and a replay that re-executes the snapshot and compares row by row. */
export function MatchRunReplay({ matchRunId }: { matchRunId: string }) {
  const trpc = useTRPC();
  const run = useQuery(trpc.matchRun.get.queryOptions({ matchRunId }));
  const [replayRequested, setReplayRequested] = useState(false);
  const replay = useQuery({ ...trpc.matchRun.replay.queryOptions({ matchRunId }), enabled: replayRequested });
  if (run.error) return <p role="alert">{run.error.message}</p>;
  if (!run.data) return <p>Loading…</p>;
  const r = replay.data;
  return (
    <div className="space-y-6">
      <Card title="Replay">
        <p className="mb-3 text-sm text-slate-700">
          Organ{" "}
          <Link
            className="font-mono text-brand-700 underline"
            href={`/regulator/organs/${run.data.organ.id}`}
          >
            {run.data.organ.din}
          </Link>{" "}
          ({run.data.organ.type.toLowerCase()}), case {run.data.organ.caseCode}. The replay reads the snapshot
          from the match run's ledger event, checks it is unchanged, ranks it again under the recorded policy
          version and compares every row with the ranking the offers followed.
        </p>
        <Button
          type="button"
          onClick={() => (replayRequested ? replay.refetch() : setReplayRequested(true))}
          disabled={replay.isFetching}
        >
          Replay this match run
        </Button>
        {replay.error ? <p role="alert">{replay.error.message}</p> : null}
        {r ? (
          <div
            role="status"
            data-testid="replay-result"
            data-identical={r.identical}
            className="mt-3 space-y-1"
          >
            <p className={r.identical ? "font-medium text-green-800" : "font-medium text-red-800"}>
              {r.identical
                ? `✓ Identical ranking: ${r.ranked} ranked and ${r.excluded} excluded, row for row.`
                : `✗ The replay differs from the recorded ranking (${r.differences.length} difference(s)).`}
            </p>
            <p className="text-sm">
              {r.snapshotVerified
                ? "✓ Snapshot unchanged since it was recorded."
                : "✗ Snapshot changed or its hash differs."}
            </p>
            {r.differences.length ? (
              <ul className="list-disc pl-5 text-sm">
                {r.differences.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </Card>
      <Card title="Recorded ranking">
        <MatchRunTable run={run.data} />
      </Card>
    </div>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { MatchRunTable, type TRankedRow } from "@/app/_components/match-run-table";
import { Button, Card } from "@/app/_components/ui";
import { useOfferLive } from "@/app/_components/use-offer-live";
import { useTRPC } from "@/app/_trpc/client";

/** One donor case: consent relied on, donor facts, and per organ its match run and offers, live. */
export function CaseDetail({ caseId }: { caseId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const donorCase = useQuery(trpc.donorCase.get.queryOptions({ id: caseId }));
  const live = useOfferLive(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.donorCase.get.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.matchRun.get.queryKey() });
  });
  if (donorCase.error) return <p role="alert">{donorCase.error.message}</p>;
  const c = donorCase.data;
  if (!c) return <p>Loading…</p>;
  const donor = c.donor as {
    abo?: string;
    ageYears?: number;
    sex?: string;
    dcd?: boolean;
    causeOfDeath?: string;
  };
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/opo/cases" className="text-brand-700 underline">
            Donor cases
          </Link>
        </p>
        <h1 className="text-2xl font-bold text-slate-900">
          Case <span className="font-mono">{c.code}</span>
        </h1>
        <p className="text-slate-700">
          {c.referralHospital}; donor {donor.abo}, {donor.ageYears} years,{" "}
          {donor.sex === "F" ? "female" : "male"}, {donor.dcd ? "DCD" : "DBD"}; KDRI {c.kdri?.toFixed(2)},
          KDPI {c.kdpi} %. Consent:{" "}
          {c.consent ? (
            <Link className="text-brand-700 underline" href={`/verify/${c.consent.receiptCode}`}>
              {c.consent.kind === "FAMILY_AUTHORISATION" ? "family authorisation" : "registry decision"} v
              {c.consent.version} ({c.consent.receiptCode})
            </Link>
          ) : (
            "none"
          )}
          .{" "}
          <span data-testid="offers-live" data-state={live}>
            Live updates: {live}
          </span>
        </p>
      </div>
      {c.organs.map((o) => (
        <OrganAllocation key={o.id} organ={o} caseId={c.id} />
      ))}
    </div>
  );
}

type TOrganRow = {
  id: string;
  type: string;
  laterality: string | null;
  din: string;
  status: string;
  latestMatchRun: { id: string } | null;
  pendingOffers: number;
  policies: Array<{ id: string; label: string; isDefault: boolean }>;
};

function OrganAllocation({ organ, caseId }: { organ: TOrganRow; caseId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.donorCase.get.queryKey({ id: caseId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.matchRun.get.queryKey() }),
    ]);
  const run = useMutation(trpc.matchRun.run.mutationOptions({ onSuccess: refresh }));
  const sendNext = useMutation(trpc.offer.sendNext.mutationOptions({ onSuccess: refresh }));
  const matchRunId = organ.latestMatchRun?.id;
  const [policyId, setPolicyId] = useState(organ.policies[0]?.id ?? "");
  const detail = useQuery({
    ...trpc.matchRun.get.queryOptions({ matchRunId: matchRunId ?? "" }),
    enabled: !!matchRunId,
  });
  const title = `${organ.type.charAt(0)}${organ.type.slice(1).toLowerCase()}${organ.laterality ? ` (${organ.laterality.toLowerCase()})` : ""}`;
  const allocated =
    organ.status === "ALLOCATED" || ["IN_TRANSIT", "ARRIVED", "TRANSPLANTED"].includes(organ.status);
  const error = run.error ?? sendNext.error;
  return (
    <Card title={title}>
      <section aria-label={title} data-testid={`organ-${organ.type}`} className="space-y-3">
        <p className="text-sm text-slate-700">
          DIN <span className="font-mono">{organ.din}</span>, status{" "}
          <strong data-testid="organ-status">{organ.status.toLowerCase()}</strong>
          {organ.pendingOffers ? `, ${organ.pendingOffers} offer(s) open` : ""}.
        </p>
        {!allocated ? (
          <div className="flex flex-wrap items-end gap-3">
            {organ.policies.length > 1 ? (
              <div>
                <label htmlFor={`policy-${organ.id}`} className="block text-xs font-medium">
                  Allocation policy
                </label>
                <select
                  id={`policy-${organ.id}`}
                  value={policyId}
                  onChange={(e) => setPolicyId(e.target.value)}
                  className="rounded border border-slate-400 bg-white px-2 py-1 text-sm"
                >
                  {organ.policies.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.label}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <Button
              type="button"
              disabled={run.isPending}
              onClick={() => run.mutate({ organId: organ.id, policyId: policyId || undefined })}
            >
              {matchRunId ? "Run the match again" : "Run the match"}
            </Button>
            {matchRunId ? (
              <Button
                type="button"
                disabled={sendNext.isPending || organ.pendingOffers > 0}
                onClick={() => sendNext.mutate({ matchRunId })}
              >
                Send next offers
              </Button>
            ) : null}
          </div>
        ) : null}
        {error ? (
          <p role="alert" className="text-sm text-red-700">
            {error.message}
          </p>
        ) : null}
        {detail.data ? (
          <MatchRunTable
            run={detail.data}
            action={
              allocated || organ.pendingOffers > 0
                ? undefined
                : (row) =>
                    row.offer ? null : (
                      <OutOfSequence matchRunId={detail.data.matchRunId} row={row} onDone={refresh} />
                    )
            }
          />
        ) : null}
      </section>
    </Card>
  );
}

/** Offer to a candidate below others not yet offered: the reason is required and recorded. */
function OutOfSequence({
  matchRunId,
  row,
  onDone,
}: {
  matchRunId: string;
  row: TRankedRow;
  onDone: () => unknown;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const send = useMutation(trpc.offer.sendOutOfOrder.mutationOptions({ onSuccess: onDone }));
  if (row.rank === 1) return null;
  if (!open)
    return (
      <button type="button" className="text-xs text-brand-700 underline" onClick={() => setOpen(true)}>
        offer out of sequence
      </button>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate({ matchRunId, candidateId: row.candidateId, reason });
  };
  const id = `bypass-${row.candidateId}`;
  return (
    <form onSubmit={submit} className="space-y-1" noValidate>
      <label htmlFor={id} className="block text-xs font-medium">
        Why out of sequence?
      </label>
      <input
        id={id}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        className="w-56 rounded border border-slate-400 px-2 py-1 text-xs"
      />
      {send.error ? (
        <p className="text-xs text-red-700">{send.error.data?.fieldErrors?.reason ?? send.error.message}</p>
      ) : null}
      <button
        type="submit"
        className="text-xs font-medium text-brand-700 underline"
        disabled={send.isPending}
      >
        Send with this reason
      </button>
    </form>
  );
}

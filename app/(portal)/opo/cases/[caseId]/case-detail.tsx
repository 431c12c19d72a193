"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Printer, Route } from "lucide-react";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { EraseOfferNotes } from "@/app/_components/erase-offer-notes";
import { LabTrends } from "@/app/_components/lab-trends";
import { MatchRunTable, type TRankedRow } from "@/app/_components/match-run-table";
import { usePreferences } from "@/app/_components/preferences";
import { Button, Card } from "@/app/_components/ui";
import { useOfferLive } from "@/app/_components/use-offer-live";
import { useTRPC } from "@/app/_trpc/client";
import { readAgain } from "@/app/_trpc/read-again";
import { CASE_CLOSE_REASONS } from "@/server/allocation/close-donor-case-reasons";
import { formatDateTime } from "@/server/format/format";
import { CloseCase } from "./close-case";
import { EraseCaseNote } from "./erase-case-note";
import { RecordLabForm } from "./record-lab-form";

/** One donor case: consent relied on, donor facts, and per organ its match run and offers, live. */
export function CaseDetail({ caseId }: { caseId: string }) {
  const { timeZone } = usePreferences().preferences;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const donorCase = useQuery(trpc.donorCase.get.queryOptions({ id: caseId }));
  const live = useOfferLive(() => {
    void readAgain(queryClient, trpc.donorCase.get.queryKey());
    void readAgain(queryClient, trpc.matchRun.get.queryKey());
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
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-bold text-slate-900">
            Case <span className="font-mono">{c.code}</span>
          </h1>
          {c.status === "OPEN" ? (
            <CloseCase
              caseId={c.id}
              code={c.code}
              onDone={() => queryClient.invalidateQueries({ queryKey: trpc.donorCase.get.queryKey() })}
            />
          ) : null}
        </div>
        {c.status === "CLOSED" ? (
          <p
            role="status"
            className="rounded-md bg-slate-100 p-2 text-sm text-slate-800"
            data-testid="case-closed"
          >
            Closed{c.closedAt ? ` on ${formatDateTime(c.closedAt, timeZone)}` : ""}
            {c.closedReasonCode
              ? `: ${CASE_CLOSE_REASONS[c.closedReasonCode as keyof typeof CASE_CLOSE_REASONS] ?? c.closedReasonCode}`
              : ""}
            . No further match can be run.
          </p>
        ) : null}
        {c.status === "CLOSED" && (c.closedNote !== null || c.closedNoteErased) ? (
          <div className="mt-2 text-sm text-slate-800" data-testid="case-closing-note">
            <span className="font-medium">Closing note: </span>
            {c.closedNote !== null ? (
              <>
                <span className="whitespace-pre-wrap">{c.closedNote}</span>{" "}
                <EraseCaseNote
                  caseId={c.id}
                  code={c.code}
                  onDone={() => queryClient.invalidateQueries({ queryKey: trpc.donorCase.get.queryKey() })}
                />
              </>
            ) : (
              <span className="italic">(note erased)</span>
            )}
          </div>
        ) : null}
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
        {c.consent && c.consent.status !== "IN_FORCE" ? (
          <p
            role="alert"
            className="rounded-md bg-red-50 p-2 text-sm text-red-800"
            data-testid="consent-ended"
          >
            This consent is no longer in force ({c.consent.status.toLowerCase()}): no organ may be offered
            under it.
          </p>
        ) : null}
        {c.consent?.restrictions ? (
          <div
            role="note"
            aria-label="Consent restrictions"
            className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900"
            data-testid="consent-restrictions"
          >
            <p className="font-semibold">
              The donor&apos;s consent carries restrictions: read them before offering.
            </p>
            <p className="whitespace-pre-wrap">{c.consent.restrictions}</p>
          </div>
        ) : null}
      </div>
      <Card title="Donor labs since referral">
        <div className="space-y-3 text-sm">
          {c.labs.length ? <LabTrends labs={c.labs} /> : <p>No lab result recorded yet.</p>}
          {c.status === "OPEN" ? (
            <RecordLabForm
              caseId={c.id}
              onRecorded={() => queryClient.invalidateQueries({ queryKey: trpc.donorCase.get.queryKey() })}
            />
          ) : null}
        </div>
      </Card>
      {c.organs.map((o) => (
        <OrganAllocation key={o.id} organ={o} caseId={c.id} closed={c.status === "CLOSED"} />
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
  latestMatchRun: { id: string; policyId?: string } | null;
  pendingOffers: number;
  policies: Array<{ id: string; label: string; isDefault: boolean }>;
};

function OrganAllocation({ organ, caseId, closed }: { organ: TOrganRow; caseId: string; closed: boolean }) {
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
  // Starts on the policy of the last run (so running again keeps it), else the default; the choice
  // then stays as made, whatever the refetch after a run brings.
  const [policyId, setPolicyId] = useState(
    organ.policies.find((p) => p.id === organ.latestMatchRun?.policyId)?.id ?? organ.policies[0]?.id ?? "",
  );
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
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <Link
            href={`/organs/${organ.id}`}
            className="inline-flex items-center gap-1 text-brand-700 underline"
          >
            <Route aria-hidden="true" className="h-4 w-4" />
            Custody journey
          </Link>
          <Link
            href={`/organs/${organ.id}/label`}
            className="inline-flex items-center gap-1 text-brand-700 underline"
          >
            <Printer aria-hidden="true" className="h-4 w-4" />
            Label
          </Link>
        </p>
        {!allocated && !closed ? (
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
            action={(row) =>
              row.offer ? (
                row.offer.hasNote ? (
                  <EraseOfferNotes
                    offerId={row.offer.id}
                    label={`to ${row.candidateCode}`}
                    onDone={refresh}
                  />
                ) : null
              ) : allocated || organ.pendingOffers > 0 ? null : (
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

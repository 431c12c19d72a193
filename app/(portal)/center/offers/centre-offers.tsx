"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useEffect, useState } from "react";
import { EraseOfferNotes } from "@/app/_components/erase-offer-notes";
import { usePreferences } from "@/app/_components/preferences";
import { SignDecision, type TSignatureRequest } from "@/app/_components/sign-decision";
import { Button, Card } from "@/app/_components/ui";
import { useOfferLive } from "@/app/_components/use-offer-live";
import { useTRPC } from "@/app/_trpc/client";
import { readAgain } from "@/app/_trpc/read-again";
import { REFUSAL_REASONS } from "@/server/allocation/refusal-reasons";
import { formatTime } from "@/server/format/format";
import { OfferSheet } from "./offer-sheet";

const countdown = (ms: number) => {
  if (ms <= 0) return "deadline passed";
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")} left`;
};

export function CentreOffers() {
  const { timeZone } = usePreferences().preferences;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const offers = useQuery(trpc.offer.forCentre.queryOptions());
  const live = useOfferLive(() => {
    void readAgain(queryClient, trpc.offer.forCentre.queryKey());
  });
  // Countdowns tick on the server's clock.
  const [now, setNow] = useState(() => Date.now());
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    if (offers.data) setOffset(new Date(offers.data.serverNow).getTime() - Date.now());
  }, [offers.data]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  // The last answer's signature step, kept here: the answered offer leaves the open list at once.
  const [toSign, setToSign] = useState<TSignatureRequest | null>(null);
  const open = offers.data?.offers.filter((o) => o.status === "PENDING") ?? [];
  const answered = offers.data?.offers.filter((o) => o.status !== "PENDING") ?? [];
  return (
    <div className="space-y-6">
      <p className="text-sm" data-testid="offers-live" data-state={live}>
        Live updates: {live}
      </p>
      {offers.error ? <p role="alert">{offers.error.message}</p> : null}
      {toSign ? <SignDecision key={toSign.eventId} request={toSign} /> : null}
      <Card title={offers.isPending ? "Open offers" : `Open offers (${open.length})`}>
        {offers.isPending ? (
          <p role="status" data-testid="offers-loading">
            Loading offers…
          </p>
        ) : open.length === 0 && !offers.error ? (
          <p>No open offers.</p>
        ) : null}
        <ul className="space-y-4" data-testid="open-offers">
          {open.map((o) => (
            <li
              key={o.offerId}
              className="min-w-0 break-words rounded-md border border-slate-200 p-3"
              data-testid="offer"
              data-din={o.organ.din}
            >
              <p className="font-medium">
                {o.organ.type.toLowerCase()}
                {o.organ.laterality ? ` (${o.organ.laterality.toLowerCase()})` : ""}, DIN{" "}
                <span className="font-mono">{o.organ.din}</span> for candidate{" "}
                <span className="font-mono">{o.candidateCode}</span> (rank {o.rank})
              </p>
              <p className="text-sm text-slate-700">
                Donor case {o.donor.caseCode}: {o.donor.abo}, {o.donor.ageYears} years,{" "}
                {o.donor.dcd ? "DCD" : "DBD"}
                {o.donor.kdpi !== null && o.organ.type === "KIDNEY" ? `, KDPI ${o.donor.kdpi} %` : ""}.{" "}
                <strong data-testid="countdown">
                  {countdown(new Date(o.deadline).getTime() - (now + offset))}
                </strong>{" "}
                (until {formatTime(o.deadline, timeZone)})
              </p>
              {o.bypassReason ? (
                <p className="text-sm text-amber-800">Offered out of sequence: {o.bypassReason}</p>
              ) : null}
              <OfferSheet offerId={o.offerId} />
              <Answer offerId={o.offerId} onAnswered={setToSign} />
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Answered in the last day">
        {!offers.isPending && answered.length === 0 ? <p>None.</p> : null}
        <ul className="space-y-1 text-sm" data-testid="answered-offers">
          {answered.map((o) => (
            <li key={o.offerId} className="break-words">
              <span className="font-mono">{o.organ.din}</span> {o.organ.type.toLowerCase()} for{" "}
              <span className="font-mono">{o.candidateCode}</span>: <strong>{o.status.toLowerCase()}</strong>
              {o.refusalReason ? ` (${o.refusalReason})` : ""}
              {o.bypassReason ? ` · out of sequence: ${o.bypassReason}` : ""}
              {o.hasNote ? (
                <>
                  {" · "}
                  <EraseOfferNotes
                    offerId={o.offerId}
                    label={`for ${o.candidateCode}`}
                    onDone={() =>
                      queryClient.invalidateQueries({ queryKey: trpc.offer.forCentre.queryKey() })
                    }
                  />
                </>
              ) : null}
              {o.status === "ACCEPTED" ? (
                <>
                  {" · "}
                  <Link href={`/organs/${o.organ.id}`} className="text-brand-700 underline">
                    custody journey
                  </Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

function Answer({
  offerId,
  onAnswered,
}: {
  offerId: string;
  onAnswered: (signature: TSignatureRequest | null) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const answer = useMutation(
    trpc.offer.answer.mutationOptions({
      onSuccess: (r) => onAnswered(r.signature),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.offer.forCentre.queryKey() }),
    }),
  );
  const [reasonCode, setReasonCode] = useState("");
  const [note, setNote] = useState("");
  const errors = answer.error?.data?.fieldErrors ?? {};
  const refuse = (e: FormEvent) => {
    e.preventDefault();
    answer.mutate({
      offerId,
      answer: "REFUSE",
      reasonCode: (reasonCode || undefined) as "OTHER" | undefined,
      note: note || undefined,
    });
  };
  return (
    <div className="mt-2 flex flex-wrap items-end gap-4">
      <Button
        type="button"
        disabled={answer.isPending}
        onClick={() => answer.mutate({ offerId, answer: "ACCEPT" })}
      >
        Accept
      </Button>
      <form onSubmit={refuse} className="flex w-full flex-wrap items-end gap-2 sm:w-auto" noValidate>
        <div className="w-full min-w-0 sm:w-auto">
          <label htmlFor={`reason-${offerId}`} className="block text-xs font-medium">
            Refusal reason
          </label>
          <select
            id={`reason-${offerId}`}
            value={reasonCode}
            onChange={(e) => setReasonCode(e.target.value)}
            className="w-full max-w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm sm:w-auto"
            aria-invalid={errors.reasonCode ? true : undefined}
          >
            <option value="">Choose…</option>
            {Object.entries(REFUSAL_REASONS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="w-full min-w-0 sm:w-auto">
          <label htmlFor={`note-${offerId}`} className="block text-xs font-medium">
            Note
          </label>
          <input
            id={`note-${offerId}`}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            className="w-full rounded border border-slate-400 px-2 py-1 text-sm sm:w-auto"
          />
        </div>
        <button
          type="submit"
          className="rounded-md border border-slate-400 px-3 py-1 text-sm"
          disabled={answer.isPending}
        >
          Refuse
        </button>
      </form>
      {answer.error ? (
        <p role="alert" className="w-full text-sm text-red-700">
          {errors.reasonCode ?? answer.error.message}
        </p>
      ) : null}
    </div>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { Button, Card, Field } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { ACCESS_REASON_LABELS } from "@/server/consent/access-reasons";
import { describeDecision } from "@/server/consent/describe-decision";
import { PersonFields, type TPerson } from "./person-fields";

/** Search by identifier and date of birth; a reason is required and recorded with the look-up. */
export function RegistrySearch() {
  const trpc = useTRPC();
  const search = useMutation(trpc.consent.search.mutationOptions());
  const [person, setPerson] = useState<TPerson>({ scheme: "UK_NHS", identifier: "", dateOfBirth: "" });
  const [reasonCode, setReasonCode] = useState("DONOR_REFERRAL");
  const [reasonNote, setReasonNote] = useState("");
  const errors = search.error?.data?.fieldErrors ?? {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    search.mutate({
      identifier: { scheme: person.scheme as "UK_NHS", value: person.identifier },
      dateOfBirth: person.dateOfBirth,
      reasonCode: reasonCode as "DONOR_REFERRAL",
      reasonNote,
    });
  };
  const result = search.data;
  return (
    <Card title="Look up a referred person">
      <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2" noValidate>
        <PersonFields prefix="search" value={person} onChange={setPerson} errors={errors} />
        <div className="space-y-1">
          <label htmlFor="search-reason" className="block text-sm font-medium text-slate-800">
            Reason
          </label>
          <select
            id="search-reason"
            value={reasonCode}
            onChange={(e) => setReasonCode(e.target.value)}
            className="block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm"
          >
            {Object.entries(ACCESS_REASON_LABELS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <Field
          label="Why you need this record"
          id="search-note"
          value={reasonNote}
          onChange={(e) => setReasonNote(e.target.value)}
          error={errors.reasonNote}
          hint="E.g. the referral or case number. Do not enter the person's name."
        />
        <div className="sm:col-span-2">
          <Button type="submit" disabled={search.isPending}>
            Search the registry
          </Button>
        </div>
      </form>
      {search.error && !Object.keys(errors).length ? <p role="alert">{search.error.message}</p> : null}
      {result ? (
        <div
          role="status"
          data-testid="search-result"
          className="mt-4 rounded-md border border-slate-200 p-4"
        >
          {!result.found ? (
            <p>
              No registration found for this identifier and date of birth. A family may authorise donation
              below.
            </p>
          ) : result.current ? (
            <>
              <p className="font-medium">
                Registered decision in force: version {result.current.version}, recorded{" "}
                {new Date(result.current.recordedAt).toUTCString()}
                {result.current.decision.kind === "FAMILY_AUTHORISATION" ? " (family authorisation)" : ""}
              </p>
              {describeDecision(result.current.decision).map((line) => (
                <p key={line}>{line}</p>
              ))}
              <p className="mt-2 text-sm">
                Receipt {result.current.receiptCode} ·{" "}
                <Link href={`/proof/${result.current.ledgerEventId}`} className="text-brand-700 underline">
                  anchoring proof
                </Link>
              </p>
            </>
          ) : (
            <p>
              Registered, but no decision is in force (
              {result.state === "REVOKED" ? "the decision was revoked" : "none recorded"}).
            </p>
          )}
        </div>
      ) : null}
    </Card>
  );
}

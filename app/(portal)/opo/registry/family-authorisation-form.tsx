"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { SignDecision } from "@/app/_components/sign-decision";
import { Button, Card, Field } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { RELATIONSHIPS } from "@/server/consent/decision-schema";
import { ORGANS, PURPOSES } from "@/server/consent/organs";
import { ORGAN_CODES, PURPOSE_DISPLAY } from "@/server/fhir/codes";
import { PersonFields, type TPerson } from "./person-fields";

type TDecision = "DONATE_ALL" | "DONATE_SELECTED" | "OBJECTION";
const label = (v: string) => v.charAt(0) + v.slice(1).toLowerCase().replace(/_/g, " ");

/** Records a next-of-kin authorisation (who, relationship, witness) for someone who never registered. */
export function FamilyAuthorisationForm() {
  const trpc = useTRPC();
  const record = useMutation(trpc.consent.recordFamilyAuthorisation.mutationOptions());
  const [person, setPerson] = useState<TPerson>({
    scheme: "UK_NHS",
    identifier: "",
    dateOfBirth: "",
    fullName: "",
  });
  const [decision, setDecision] = useState<TDecision>("DONATE_SELECTED");
  const [organs, setOrgans] = useState<string[]>([]);
  const [purposes, setPurposes] = useState<string[]>(["TRANSPLANT"]);
  const [by, setBy] = useState({ name: "", relationship: "SPOUSE", witness: "" });
  const [restrictions, setRestrictions] = useState("");
  const raw = record.error?.data?.fieldErrors ?? {};
  // Person fields arrive as person.*; the shared inputs expect the bare names.
  const personErrors = Object.fromEntries(
    Object.entries(raw).flatMap(([k, v]) => (k.startsWith("person.") ? [[k.slice(7), v]] : [])),
  );
  const toggle = (list: string[], v: string) =>
    list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate({
      person: {
        fullName: person.fullName ?? "",
        dateOfBirth: person.dateOfBirth,
        identifier: { scheme: person.scheme as "UK_NHS", value: person.identifier },
      },
      decision,
      organs: decision === "DONATE_SELECTED" ? organs : [],
      purposes: decision === "OBJECTION" ? [] : purposes,
      ...(decision !== "OBJECTION" && restrictions.trim() ? { restrictions: restrictions.trim() } : {}),
      authorisedBy: { ...by, relationship: by.relationship as "SPOUSE" },
    });
  };
  return (
    <Card title="Record a family authorisation">
      <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2" noValidate>
        {record.error ? (
          <p
            role="alert"
            className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 sm:col-span-2"
          >
            {record.error.message}
          </p>
        ) : null}
        <Field
          label="Person's full name"
          id="fa-name"
          value={person.fullName ?? ""}
          onChange={(e) => setPerson({ ...person, fullName: e.target.value })}
          error={personErrors.fullName}
        />
        <PersonFields prefix="fa" value={person} onChange={setPerson} errors={personErrors} />
        <fieldset className="space-y-1 sm:col-span-2">
          <legend className="text-sm font-medium text-slate-800">The family's decision</legend>
          {(["DONATE_ALL", "DONATE_SELECTED", "OBJECTION"] as const).map((d) => (
            <label key={d} className="mr-4 inline-flex items-center gap-2">
              <input
                type="radio"
                name="fa-decision"
                checked={decision === d}
                onChange={() => setDecision(d)}
              />
              {label(d)}
            </label>
          ))}
        </fieldset>
        {decision === "DONATE_SELECTED" ? (
          <fieldset className="sm:col-span-2">
            <legend className="text-sm font-medium text-slate-800">Organs and tissues</legend>
            <div className="grid grid-cols-2 gap-1 sm:grid-cols-4">
              {ORGANS.map((o) => (
                <label key={o} className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={organs.includes(o)}
                    onChange={() => setOrgans(toggle(organs, o))}
                  />
                  {ORGAN_CODES[o].display}
                </label>
              ))}
            </div>
            {raw.organs ? <p className="text-sm text-red-700">{raw.organs}</p> : null}
          </fieldset>
        ) : null}
        {decision !== "OBJECTION" ? (
          <fieldset className="sm:col-span-2">
            <legend className="text-sm font-medium text-slate-800">Purposes</legend>
            {PURPOSES.map((p) => (
              <label key={p} className="mr-4 inline-flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={purposes.includes(p)}
                  onChange={() => setPurposes(toggle(purposes, p))}
                />
                {PURPOSE_DISPLAY[p]}
              </label>
            ))}
            {raw.purposes ? <p className="text-sm text-red-700">{raw.purposes}</p> : null}
          </fieldset>
        ) : null}
        {decision !== "OBJECTION" ? (
          <div className="space-y-1 sm:col-span-2">
            <label htmlFor="fa-restrictions" className="block text-sm font-medium text-slate-800">
              Restrictions the family set (optional)
            </label>
            <textarea
              id="fa-restrictions"
              value={restrictions}
              onChange={(e) => setRestrictions(e.target.value)}
              rows={2}
              aria-invalid={raw.restrictions ? true : undefined}
              className="block w-full rounded-md border border-slate-400 px-3 py-2 text-sm"
            />
            {raw.restrictions ? <p className="text-sm text-red-700">{raw.restrictions}</p> : null}
          </div>
        ) : null}
        <Field
          label="Authorised by (name)"
          id="fa-by"
          value={by.name}
          onChange={(e) => setBy({ ...by, name: e.target.value })}
          error={raw["authorisedBy.name"]}
        />
        <div className="space-y-1">
          <label htmlFor="fa-relationship" className="block text-sm font-medium text-slate-800">
            Relationship
          </label>
          <select
            id="fa-relationship"
            value={by.relationship}
            onChange={(e) => setBy({ ...by, relationship: e.target.value })}
            className="block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm"
          >
            {RELATIONSHIPS.map((r) => (
              <option key={r} value={r}>
                {label(r)}
              </option>
            ))}
          </select>
        </div>
        <Field
          label="Witness"
          id="fa-witness"
          value={by.witness}
          onChange={(e) => setBy({ ...by, witness: e.target.value })}
          error={raw["authorisedBy.witness"]}
        />
        <div className="sm:col-span-2">
          <Button type="submit" disabled={record.isPending}>
            Record authorisation
          </Button>
        </div>
      </form>
      {record.data ? (
        <p role="status" className="mt-3 text-green-800">
          Family authorisation recorded as version {record.data.version}, receipt {record.data.receiptCode}.{" "}
          <Link href={`/proof/${record.data.ledgerEventId}`} className="underline">
            Ledger proof
          </Link>
        </p>
      ) : null}
      {record.data?.signature ? (
        <div className="mt-2">
          <SignDecision key={record.data.signature.eventId} request={record.data.signature} />
        </div>
      ) : null}
    </Card>
  );
}

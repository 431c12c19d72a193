"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useEffect, useState } from "react";
import { usePreferences } from "@/app/_components/preferences";
import { SignDecision, type TSignatureRequest } from "@/app/_components/sign-decision";
import { Button, Card, Field } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { describeDecision } from "@/server/consent/describe-decision";
import { ORGANS, PURPOSES } from "@/server/consent/organs";
import { ORGAN_CODES, PURPOSE_DISPLAY } from "@/server/fhir/codes";
import { formatDateTime } from "@/server/format/format";
import { describeSignature } from "@/server/passkey/signature-views";

type TChoice = "DONATE_ALL" | "DONATE_SELECTED" | "OBJECTION";

const CHOICES: Array<{ value: TChoice; label: string }> = [
  { value: "DONATE_ALL", label: "Donate all organs and tissues" },
  { value: "DONATE_SELECTED", label: "Donate only the organs and tissues I choose" },
  { value: "OBJECTION", label: "I do not want to donate (objection)" },
];

const STATUS_LABEL = { IN_FORCE: "in force", SUPERSEDED: "superseded", REVOKED: "revoked" } as const;

/** The donor's own registration: decision form, version history with receipts, access log, erasure. */
export function DonorRegistration({ eraseAction }: { eraseAction: () => Promise<void> }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mine = useQuery(trpc.consent.myRegistration.queryOptions());
  const access = useQuery(trpc.consent.myAccessHistory.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.consent.pathKey() });
  const { timeZone } = usePreferences().preferences;
  const when = (d: Date) => formatDateTime(d, timeZone);

  const [choice, setChoice] = useState<TChoice>("DONATE_ALL");
  const [organs, setOrgans] = useState<string[]>([]);
  const [purposes, setPurposes] = useState<string[]>(["TRANSPLANT"]);
  const [restrictions, setRestrictions] = useState("");
  const [saved, setSaved] = useState<{ version: number; receiptCode: string } | null>(null);
  const [revoked, setRevoked] = useState<{ version: number; receiptCode: string } | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  // The last decision's signature step (sign with a passkey, or the fallback already recorded).
  const [toSign, setToSign] = useState<TSignatureRequest | null>(null);
  const [eraseText, setEraseText] = useState("");
  const record = useMutation(trpc.consent.recordDecision.mutationOptions());
  const revoke = useMutation(trpc.consent.revoke.mutationOptions());
  const erase = useMutation(trpc.consent.erase.mutationOptions());
  const errors = record.error?.data?.fieldErrors ?? {};

  // The change form starts from the decision in force, so saving without a change keeps it as it
  // is (never silently broadening it to "donate all").
  const inForce = mine.data?.versions.find((v) => v.status === "IN_FORCE");
  // Query results keep their identity until the data changes (structural sharing): this runs when
  // another version comes into force, not on every render.
  useEffect(() => {
    if (!inForce) return;
    const d = inForce.decision;
    setChoice(d.decision);
    setOrgans([...d.organs]);
    setPurposes(d.decision === "OBJECTION" ? ["TRANSPLANT"] : [...d.purposes]);
    setRestrictions(d.restrictions ?? "");
  }, [inForce]);

  if (mine.isPending) return <p>Loading your registration…</p>;
  if (mine.error) {
    return (
      <Card title="Your registration">
        <p role="alert">{mine.error.message}</p>
      </Card>
    );
  }
  const reg = mine.data;
  const current = reg.versions.find((v) => v.status === "IN_FORCE");

  const toggle = (list: string[], value: string) =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    try {
      const result = await record.mutateAsync({
        kind: "FIRST_PERSON",
        decision: choice,
        organs: choice === "DONATE_SELECTED" ? (organs as (typeof ORGANS)[number][]) : [],
        purposes: choice === "OBJECTION" ? [] : (purposes as (typeof PURPOSES)[number][]),
        restrictions: choice === "OBJECTION" ? undefined : restrictions,
      });
      setSaved({ version: result.version, receiptCode: result.receiptCode });
      setToSign(result.signature);
      await refresh();
    } catch {
      // shown from record.error
    }
  };

  return (
    <div className="space-y-6">
      {toSign ? <SignDecision key={toSign.eventId} request={toSign} /> : null}
      <Card title="Your decision now">
        <p className="text-sm text-slate-700">
          Registered as {reg.identity.fullName}, born {reg.identity.dateOfBirth}.
        </p>
        {current ? (
          <div data-testid="current-decision" className="mt-3 space-y-1">
            <p className="font-medium">
              Version {current.version}, recorded {when(current.recordedAt)}
            </p>
            {describeDecision(current.decision).map((line) => (
              <p key={line}>{line}</p>
            ))}
            {confirmRevoke ? (
              <div className="mt-3 flex items-center gap-3">
                <span>Revoke this decision? You will have no decision on record.</span>
                <Button
                  type="button"
                  onClick={async () => {
                    const result = await revoke.mutateAsync().catch(() => null);
                    setConfirmRevoke(false);
                    if (result) {
                      setRevoked({ version: result.version, receiptCode: result.receiptCode });
                      setToSign(result.signature);
                    }
                    await refresh();
                  }}
                >
                  Yes, revoke
                </Button>
                <button type="button" className="underline" onClick={() => setConfirmRevoke(false)}>
                  Keep it
                </button>
              </div>
            ) : (
              <button
                type="button"
                className="mt-3 text-sm text-red-800 underline"
                onClick={() => setConfirmRevoke(true)}
              >
                Revoke my decision
              </button>
            )}
            {revoke.error ? <p role="alert">{revoke.error.message}</p> : null}
          </div>
        ) : (
          <p data-testid="current-decision" className="mt-3">
            {reg.state === "REVOKED"
              ? "You revoked your decision; nothing is in force."
              : "You have not recorded a decision yet."}
          </p>
        )}
        {revoked ? (
          <p role="status" className="mt-3 text-green-800" data-testid="revocation-done">
            Version {revoked.version} revoked.{" "}
            <Link href={`/receipt/${revoked.receiptCode}`} className="underline">
              Your revocation receipt
            </Link>
          </p>
        ) : null}
      </Card>

      <Card title={current ? "Change your decision" : "Record your decision"}>
        <form onSubmit={submit} className="space-y-4" noValidate aria-label="Your decision">
          {current ? (
            <p className="text-sm text-slate-700" data-testid="form-starts-from">
              The form shows your decision in force (version {current.version}); change what you want and
              save.
            </p>
          ) : null}
          {record.error ? (
            <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
              {record.error.message}
            </p>
          ) : null}
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-800">Decision</legend>
            {CHOICES.map((c) => (
              <label key={c.value} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="decision"
                  value={c.value}
                  checked={choice === c.value}
                  onChange={() => setChoice(c.value)}
                />
                {c.label}
              </label>
            ))}
          </fieldset>
          {choice === "DONATE_SELECTED" ? (
            <fieldset className="space-y-1" aria-describedby={errors.organs ? "organs-error" : undefined}>
              <legend className="text-sm font-medium text-slate-800">Organs and tissues</legend>
              <div className="grid grid-cols-2 gap-1 sm:grid-cols-3">
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
              {errors.organs ? (
                <p id="organs-error" className="text-sm text-red-700">
                  {errors.organs}
                </p>
              ) : null}
            </fieldset>
          ) : null}
          {choice !== "OBJECTION" ? (
            <>
              <fieldset
                className="space-y-1"
                aria-describedby={errors.purposes ? "purposes-error" : undefined}
              >
                <legend className="text-sm font-medium text-slate-800">For which purposes</legend>
                {PURPOSES.map((p) => (
                  <label key={p} className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      checked={purposes.includes(p)}
                      onChange={() => setPurposes(toggle(purposes, p))}
                    />
                    {PURPOSE_DISPLAY[p]}
                  </label>
                ))}
                {errors.purposes ? (
                  <p id="purposes-error" className="text-sm text-red-700">
                    {errors.purposes}
                  </p>
                ) : null}
              </fieldset>
              <div className="space-y-1">
                <label htmlFor="restrictions" className="block text-sm font-medium text-slate-800">
                  Restrictions (optional)
                </label>
                <textarea
                  id="restrictions"
                  value={restrictions}
                  onChange={(e) => setRestrictions(e.target.value)}
                  rows={2}
                  className="block w-full rounded-md border border-slate-400 px-3 py-2 text-sm"
                />
                {errors.restrictions ? <p className="text-sm text-red-700">{errors.restrictions}</p> : null}
              </div>
            </>
          ) : null}
          <Button type="submit" disabled={record.isPending}>
            {record.isPending ? "Saving…" : "Save decision"}
          </Button>
          {saved ? (
            <p role="status" className="text-green-800">
              Saved as version {saved.version}.{" "}
              <Link href={`/receipt/${saved.receiptCode}`} className="underline">
                Your receipt
              </Link>
            </p>
          ) : null}
        </form>
      </Card>

      <Card title="History">
        {reg.versions.length === 0 ? (
          <p>No versions yet.</p>
        ) : (
          <table className="stack-sm w-full text-left text-sm">
            <thead>
              <tr className="border-b">
                <th className="py-2">Version</th>
                <th>Status</th>
                <th>Recorded</th>
                <th>Decision</th>
                <th>Anchored</th>
                <th>Signed</th>
                <th>Receipt</th>
              </tr>
            </thead>
            <tbody>
              {reg.versions.map((v) => (
                <tr
                  key={v.consentVersionId}
                  className="border-b align-top"
                  data-testid={`version-${v.version}`}
                >
                  <td className="py-2" data-label="Version">
                    {v.version}
                  </td>
                  <td data-label="Status">{STATUS_LABEL[v.status]}</td>
                  <td data-label="Recorded">{when(v.recordedAt)}</td>
                  <td data-label="Decision">{describeDecision(v.decision).join(" ")}</td>
                  <td data-label="Anchored">{v.anchored ? "yes" : "pending"}</td>
                  <td data-label="Signed" data-testid="version-signature" data-status={v.signature?.status}>
                    {v.signature ? describeSignature(v.signature) : "—"}
                  </td>
                  <td className="space-x-2" data-label="Receipt">
                    <Link href={`/receipt/${v.receiptCode}`} className="text-brand-700 underline">
                      {v.receiptCode}
                    </Link>
                    {v.status === "REVOKED" ? (
                      <Link
                        href={`/receipt/${v.receiptCode}#revocation`}
                        className="text-brand-700 underline"
                      >
                        revocation receipt
                      </Link>
                    ) : null}
                    <a href={`/api/consent/fhir/${v.consentVersionId}`} className="text-brand-700 underline">
                      FHIR
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>

      <Card title="Who looked up your record">
        {access.data && access.data.length > 0 ? (
          <ul className="divide-y text-sm" data-testid="access-history">
            {access.data.map((a) => (
              <li key={a.eventId} className="py-2">
                {when(a.at)}: {a.staffName ?? "staff"} ({a.organisation ?? a.actorRole}) — {a.reason}
              </li>
            ))}
          </ul>
        ) : (
          <p data-testid="access-history">Nobody on the staff has looked up your record.</p>
        )}
      </Card>

      <Card title="Delete my registration">
        <p className="text-sm text-slate-700">
          Your identity and every decision are destroyed for good (their keys are erased). The public ledger
          keeps only the proof that versions existed, which cannot be traced back to you.
        </p>
        <form
          className="mt-3 flex flex-wrap items-end gap-3"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              await erase.mutateAsync({ confirm: eraseText as "ERASE" });
              await eraseAction();
            } catch {
              // shown below
            }
          }}
        >
          <Field
            label="Type ERASE to confirm"
            id="erase-confirm"
            value={eraseText}
            onChange={(e) => setEraseText(e.target.value)}
            error={erase.error?.data?.fieldErrors?.confirm}
          />
          <Button type="submit" className="bg-red-700 hover:bg-red-900" disabled={erase.isPending}>
            Delete my registration
          </Button>
        </form>
      </Card>
    </div>
  );
}

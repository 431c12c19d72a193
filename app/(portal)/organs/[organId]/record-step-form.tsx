"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { SignDecision, type TSignatureRequest } from "@/app/_components/sign-decision";
import { Button, Card, Field, SelectField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import type { TRole } from "@/server/auth/roles";
import { STEPS_FOR_ROLE, stepDetails, type TStepField } from "../custody-steps";

const newClientId = () =>
  typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

const localNow = () => {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/**
 * Records one custody step. The client id is made once per attempt and kept on retry, so a
 * double click or a flaky network records the step once; a refusal shows the server's message.
 */
export function RecordStepForm({
  organId,
  role,
  onRecorded,
  initialKind,
}: {
  organId: string;
  role: TRole;
  onRecorded?: () => void;
  initialKind?: string;
}) {
  const trpc = useTRPC();
  const steps = STEPS_FOR_ROLE[role] ?? [];
  const [kind, setKind] = useState(initialKind ?? steps[0]?.kind ?? "");
  const [clientEventId, setClientEventId] = useState(newClientId);
  const [values, setValues] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [toSign, setToSign] = useState<TSignatureRequest | null>(null);
  const record = useMutation(trpc.custody.recordEvent.mutationOptions());
  const id = useId();
  const step = steps.find((s) => s.kind === kind);
  if (!step) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    setWarnings([]);
    setToSign(null);
    try {
      const result = await record.mutateAsync({
        organId,
        clientEventId,
        kind,
        reportedAt: values.reportedAt ? new Date(values.reportedAt) : new Date(),
        details: stepDetails(step, values),
      });
      setDone(`${step.label} recorded (step #${result.event.sequence}).`);
      setWarnings(result.warnings);
      setToSign(result.signature);
      setClientEventId(newClientId());
      setValues({});
      onRecorded?.();
    } catch {
      // the message is shown from record.error
    }
  };

  const field = (f: TStepField) =>
    f.type === "select" ? (
      <SelectField
        key={f.name}
        id={`${id}-${f.name}`}
        label={f.label}
        value={values[f.name] ?? ""}
        onChange={(ev) => setValues((v) => ({ ...v, [f.name]: ev.target.value }))}
        options={f.options ?? []}
      />
    ) : (
      <Field
        key={f.name}
        id={`${id}-${f.name}`}
        label={f.label}
        type={f.type ?? "text"}
        step={f.type === "number" ? "any" : undefined}
        hint={f.hint}
        value={values[f.name] ?? ""}
        onChange={(ev) => setValues((v) => ({ ...v, [f.name]: ev.target.value }))}
        error={record.error?.data?.fieldErrors?.[`details.${f.name}`]}
      />
    );

  return (
    <Card title="Record a custody step">
      <form onSubmit={submit} className="space-y-3" aria-describedby={`${id}-status`}>
        <div className="space-y-1">
          <label htmlFor={`${id}-kind`} className="block text-sm font-medium text-slate-800">
            Step
          </label>
          <select
            id={`${id}-kind`}
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              setClientEventId(newClientId());
              record.reset();
            }}
            className="block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm"
          >
            {steps.map((s) => (
              <option key={s.kind} value={s.kind}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <Field
          id={`${id}-reportedAt`}
          label="When (your local time)"
          hint="Leave empty for now"
          type="datetime-local"
          max={localNow()}
          value={values.reportedAt ?? ""}
          onChange={(ev) => setValues((v) => ({ ...v, reportedAt: ev.target.value }))}
        />
        {step.fields.map(field)}
        <Button type="submit" disabled={record.isPending}>
          {record.isPending ? "Recording…" : `Record ${step.label.toLowerCase()}`}
        </Button>
        <div id={`${id}-status`} aria-live="polite">
          {record.error ? (
            <p role="alert" className="text-sm text-red-700" data-testid="record-error">
              {record.error.message}
            </p>
          ) : null}
          {done ? (
            <p className="text-sm text-green-800" data-testid="record-done">
              {done}
            </p>
          ) : null}
          {toSign ? <SignDecision key={toSign.eventId} request={toSign} onDone={onRecorded} /> : null}
          {warnings.map((w) => (
            <p
              key={w}
              role="alert"
              className="mt-1 rounded bg-red-100 px-2 py-1 text-sm font-medium text-red-900"
              data-testid="record-warning"
            >
              {w}
            </p>
          ))}
        </div>
      </form>
    </Card>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { usePreferences } from "@/app/_components/preferences";
import { Button, Field, SelectField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { DONOR_LAB_TESTS, type TDonorLabTest } from "@/server/allocation/donor-labs";
import { toMgPerDl } from "@/server/format/format";

/** Now, to the minute, as a datetime-local input wants it (the browser's own zone). */
const localNow = () => {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/**
 * The OPO adds a lab result taken after referral; centres see the new value and its direction on
 * their offer sheets. Creatinine and bilirubin are typed in the user's unit and stored in mg/dL.
 */
export function RecordLabForm({ caseId, onRecorded }: { caseId: string; onRecorded: () => unknown }) {
  const trpc = useTRPC();
  const { creatinineUnit } = usePreferences().preferences;
  const [test, setTest] = useState<TDonorLabTest>("CREATININE");
  const [value, setValue] = useState("");
  const [takenAt, setTakenAt] = useState(localNow);
  const record = useMutation(
    trpc.donorCase.recordLab.mutationOptions({
      onSuccess: () => {
        setValue("");
        return onRecorded();
      },
    }),
  );
  const converts = test === "CREATININE" || test === "BILIRUBIN";
  const unit = converts ? creatinineUnit : DONOR_LAB_TESTS[test].unit;
  const errors = record.error?.data?.fieldErrors ?? {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const typed = Number(value);
    const stored =
      converts && value.trim() !== ""
        ? toMgPerDl(test === "CREATININE" ? "creatinine" : "bilirubin", typed, creatinineUnit)
        : typed;
    record.mutate({
      donorCaseId: caseId,
      test,
      value: value.trim() === "" ? Number.NaN : stored,
      takenAt: takenAt ? new Date(takenAt) : new Date(Number.NaN),
    });
  };
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Record a lab result"
      className="flex flex-wrap items-end gap-3"
    >
      <SelectField
        id="lab-test"
        label="Test"
        value={test}
        onChange={(e) => setTest(e.target.value as TDonorLabTest)}
        options={Object.entries(DONOR_LAB_TESTS).map(([code, t]) => [code, t.label] as const)}
      />
      <Field
        id="lab-value"
        label={`Value (${unit})`}
        inputMode="decimal"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        error={errors.value}
      />
      <Field
        id="lab-taken-at"
        label="Taken at"
        type="datetime-local"
        value={takenAt}
        onChange={(e) => setTakenAt(e.target.value)}
        error={errors.takenAt}
      />
      <Button type="submit" disabled={record.isPending}>
        Record result
      </Button>
      {record.error && !errors.value && !errors.takenAt ? (
        <p role="alert" className="w-full text-sm text-red-700">
          {record.error.message}
        </p>
      ) : null}
      {record.isSuccess ? (
        <p role="status" className="w-full text-sm text-green-800">
          Recorded; centres see it on their offer sheets.
        </p>
      ) : null}
    </form>
  );
}

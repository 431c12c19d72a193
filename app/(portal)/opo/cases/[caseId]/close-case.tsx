"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ModalDialog } from "@/app/_components/modal-dialog";
import { Button, Field, SelectField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { CASE_CLOSE_REASONS } from "@/server/allocation/close-donor-case-reasons";

/** Closes the case with a reason, after a confirmation (a ledger event; no further match runs). */
export function CloseCase({ caseId, code, onDone }: { caseId: string; code: string; onDone: () => unknown }) {
  const trpc = useTRPC();
  const close = useMutation(trpc.donorCase.close.mutationOptions({ onSuccess: onDone }));
  const [reasonCode, setReasonCode] = useState("");
  const [note, setNote] = useState("");
  const errors = close.error?.data?.fieldErrors ?? {};
  return (
    <ModalDialog
      title={`Close case ${code}?`}
      description="Closing is recorded on the ledger and cannot be undone; no further match can be run. Organs already placed keep their custody journey."
      trigger={
        <button
          type="button"
          className="rounded-md border border-slate-400 px-3 py-1.5 text-sm hover:bg-slate-100"
        >
          Close the case
        </button>
      }
    >
      {(done) => (
        <form
          className="space-y-3"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            close.mutate(
              { donorCaseId: caseId, reasonCode: reasonCode as "OTHER", note: note || undefined },
              { onSuccess: done },
            );
          }}
        >
          <SelectField
            id="close-reason"
            label="Reason"
            value={reasonCode}
            onChange={(e) => setReasonCode(e.target.value)}
            options={[["", "Choose…"], ...Object.entries(CASE_CLOSE_REASONS)]}
          />
          <Field
            id="close-note"
            label="Note (kept in the case, not on the ledger)"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            error={errors.note}
          />
          {close.error && !errors.note ? (
            <p role="alert" className="text-sm text-red-700">
              {close.error.message}
            </p>
          ) : null}
          <Button type="submit" disabled={close.isPending}>
            Close the case
          </Button>
        </form>
      )}
    </ModalDialog>
  );
}

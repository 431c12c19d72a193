"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ModalDialog } from "@/app/_components/modal-dialog";
import { Button, Field, SelectField } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { CANDIDATE_ERASURE_REASONS } from "@/server/allocation/erase-candidate-reasons";

/**
 * Erases a candidate's record (on the recipient's request, say) after a confirmation: their clinical
 * detail is crypto-shredded, the ledger keeps that it was recorded and erased, with the reason's code.
 */
export function EraseCandidate({ id, code, onDone }: { id: string; code: string; onDone: () => unknown }) {
  const trpc = useTRPC();
  const erase = useMutation(trpc.waitlist.erase.mutationOptions({ onSuccess: onDone }));
  const [reasonCode, setReasonCode] = useState("");
  const [confirm, setConfirm] = useState("");
  const errors = erase.error?.data?.fieldErrors ?? {};
  return (
    <ModalDialog
      title={`Erase the record of ${code}?`}
      description="Their clinical detail (birth date, sex, size, HLA, antibodies, dialysis, urgency) is destroyed for good, in every recorded version. The ledger keeps that a record existed and was erased, and the match runs that ranked them still verify. This cannot be undone."
      trigger={
        <button type="button" className="text-red-700 underline">
          erase record
        </button>
      }
    >
      {(done) => (
        <form
          className="space-y-3"
          noValidate
          aria-label={`Erase ${code}`}
          onSubmit={(e) => {
            e.preventDefault();
            erase.mutate(
              { candidateId: id, reasonCode: reasonCode as "OTHER", confirm: confirm as "ERASE" },
              { onSuccess: done },
            );
          }}
        >
          <SelectField
            id={`erase-reason-${id}`}
            label="Reason"
            value={reasonCode}
            onChange={(e) => setReasonCode(e.target.value)}
            options={[["", "Choose…"], ...Object.entries(CANDIDATE_ERASURE_REASONS)]}
          />
          {errors.reasonCode ? <p className="text-sm text-red-700">{errors.reasonCode}</p> : null}
          <Field
            id={`erase-confirm-${id}`}
            label="Type ERASE to confirm"
            value={confirm}
            autoComplete="off"
            onChange={(e) => setConfirm(e.target.value)}
            error={errors.confirm}
          />
          {erase.error && !errors.confirm && !errors.reasonCode ? (
            <p role="alert" className="text-sm text-red-700">
              {erase.error.message}
            </p>
          ) : null}
          <Button type="submit" disabled={erase.isPending}>
            Erase the record
          </Button>
        </form>
      )}
    </ModalDialog>
  );
}

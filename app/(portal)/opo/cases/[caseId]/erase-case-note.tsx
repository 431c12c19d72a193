"use client";

import { useMutation } from "@tanstack/react-query";
import { ConfirmErase } from "@/app/_components/confirm-erase";
import { useTRPC } from "@/app/_trpc/client";

/**
 * Erases a closed case's closing note after a typed confirmation, e.g. when it named a person.
 * The case keeps its reason's code, and the ledger records that the note was erased.
 */
export function EraseCaseNote({
  caseId,
  code,
  onDone,
}: {
  caseId: string;
  code: string;
  onDone: () => unknown;
}) {
  const trpc = useTRPC();
  const erase = useMutation(trpc.donorCase.eraseNote.mutationOptions({ onSuccess: onDone }));
  return (
    <ConfirmErase
      title={`Erase the closing note of case ${code}?`}
      description="The words of this case's closing note are destroyed for good. The reason the case was closed, when and by whom stay, and the ledger keeps that a note existed and was erased. This cannot be undone."
      confirmLabel="Erase the note"
      typedConfirmId={`erase-case-note-${caseId}`}
      pending={erase.isPending}
      error={erase.error?.message ?? null}
      fieldError={erase.error?.data?.fieldErrors?.confirm}
      onConfirm={(done, typed) =>
        erase.mutate({ donorCaseId: caseId, confirm: typed as "ERASE" }, { onSuccess: done })
      }
    />
  );
}

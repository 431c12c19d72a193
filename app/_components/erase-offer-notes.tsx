"use client";

import { useMutation } from "@tanstack/react-query";
import { ConfirmErase } from "@/app/_components/confirm-erase";
import { useTRPC } from "@/app/_trpc/client";

/**
 * Erases an offer's free text (its refusal note, its out-of-sequence reason) after a confirmation,
 * e.g. when it named a person. The ledger keeps the codes and that a note existed and was erased.
 */
export function EraseOfferNotes({
  offerId,
  label,
  onDone,
}: {
  offerId: string;
  label: string;
  onDone: () => unknown;
}) {
  const trpc = useTRPC();
  const erase = useMutation(trpc.offer.eraseNotes.mutationOptions({ onSuccess: onDone }));
  return (
    <ConfirmErase
      title={`Erase the notes of the offer ${label}?`}
      description="The words of this offer's refusal note and out-of-sequence reason are destroyed for good. The refusal's code, the skipped ranks and the ledger's record that a note was written (and now erased) stay."
      confirmLabel="Erase the notes"
      small
      pending={erase.isPending}
      error={erase.error?.message ?? null}
      onConfirm={(done) => erase.mutate({ offerId }, { onSuccess: done })}
    />
  );
}

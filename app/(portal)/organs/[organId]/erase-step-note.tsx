"use client";

import { useMutation } from "@tanstack/react-query";
import { ConfirmErase } from "@/app/_components/confirm-erase";
import { useTRPC } from "@/app/_trpc/client";

/**
 * Erases a custody step's free text (a place's name, a device's label, a reason) after a
 * confirmation, e.g. when it named a person. Coordinates, readings and times stay, and the ledger
 * records that the note was erased.
 */
export function EraseStepNote({
  custodyEventId,
  sequence,
  onDone,
}: {
  custodyEventId: string;
  sequence: number;
  onDone: () => unknown;
}) {
  const trpc = useTRPC();
  const erase = useMutation(trpc.custody.eraseNote.mutationOptions({ onSuccess: onDone }));
  return (
    <ConfirmErase
      title={`Erase the note of step #${sequence}?`}
      description="The words recorded with this step (a place's name, a device's label, a reason) are destroyed for good. Its coordinates, readings, times and who recorded it stay, and the ledger keeps that a note existed and was erased."
      confirmLabel="Erase the note"
      pending={erase.isPending}
      error={erase.error?.message ?? null}
      onConfirm={(done) => erase.mutate({ custodyEventId }, { onSuccess: done })}
    />
  );
}

"use client";

import { ModalDialog } from "@/app/_components/modal-dialog";
import { Button } from "@/app/_components/ui";

/** An "erase note" link that opens a confirmation saying what is destroyed and what stays. */
export function ConfirmErase({
  title,
  description,
  confirmLabel,
  small,
  pending,
  error,
  onConfirm,
}: {
  title: string;
  description: string;
  confirmLabel: string;
  small?: boolean;
  pending: boolean;
  error: string | null;
  onConfirm: (done: () => void) => void;
}) {
  return (
    <ModalDialog
      title={title}
      description={description}
      trigger={
        <button type="button" className={`${small ? "text-xs" : "text-sm"} text-red-700 underline`}>
          erase note
        </button>
      }
    >
      {(done) => (
        <div className="space-y-3">
          {error ? (
            <p role="alert" className="text-sm text-red-700">
              {error}
            </p>
          ) : null}
          <Button type="button" disabled={pending} onClick={() => onConfirm(done)}>
            {confirmLabel}
          </Button>
        </div>
      )}
    </ModalDialog>
  );
}

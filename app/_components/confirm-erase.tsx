"use client";

import { useState } from "react";
import { ModalDialog } from "@/app/_components/modal-dialog";
import { Button, Field } from "@/app/_components/ui";

/**
 * An "erase note" link that opens a confirmation saying what is destroyed and what stays. With
 * `typedConfirmId`, the user must also type ERASE (passed to `onConfirm`, which sends it along).
 */
export function ConfirmErase({
  title,
  description,
  confirmLabel,
  small,
  pending,
  error,
  fieldError,
  typedConfirmId,
  onConfirm,
}: {
  title: string;
  description: string;
  confirmLabel: string;
  small?: boolean;
  pending: boolean;
  error: string | null;
  /** The server's message about the typed confirmation. */
  fieldError?: string;
  typedConfirmId?: string;
  onConfirm: (done: () => void, typed: string) => void;
}) {
  const [typed, setTyped] = useState("");
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
        <form
          className="space-y-3"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            onConfirm(done, typed);
          }}
        >
          {typedConfirmId ? (
            <Field
              id={typedConfirmId}
              label="Type ERASE to confirm"
              value={typed}
              autoComplete="off"
              onChange={(e) => setTyped(e.target.value)}
              error={fieldError}
            />
          ) : null}
          {error && !fieldError ? (
            <p role="alert" className="text-sm text-red-700">
              {error}
            </p>
          ) : null}
          <Button type="submit" disabled={pending}>
            {confirmLabel}
          </Button>
        </form>
      )}
    </ModalDialog>
  );
}

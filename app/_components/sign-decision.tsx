"use client";

import { startAuthentication, WebAuthnError } from "@simplewebauthn/browser";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { usePreferences } from "@/app/_components/preferences";
import { Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formatDateTime } from "@/server/format/format";
import { SIGNATURE_MEANINGS, type TSignatureMeaning } from "@/server/ledger/signature-meaning";

export type TSignatureRequest = {
  eventId: string;
  eventHash: string;
  meaning: TSignatureMeaning;
  signWith: "passkey" | "none";
};

/**
 * After a decision is recorded: the person signs its event hash with their passkey (the meaning is
 * shown before they sign, 21 CFR 11.50), or says not now (the fallback is recorded). A person with
 * no passkey sees that the decision stands, unsigned, and where to add one.
 */
export function SignDecision({ request, onDone }: { request: TSignatureRequest; onDone?: () => void }) {
  const trpc = useTRPC();
  const meaning = SIGNATURE_MEANINGS[request.meaning];
  const { timeZone } = usePreferences().preferences;
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const options = useMutation(trpc.passkey.signingOptions.mutationOptions());
  const sign = useMutation(trpc.passkey.sign.mutationOptions());
  const decline = useMutation(trpc.passkey.decline.mutationOptions());
  const busy = options.isPending || sign.isPending || decline.isPending;

  if (request.signWith === "none") {
    return (
      <p
        role="status"
        data-testid="signature-outcome"
        data-status="NOT_SIGNED"
        className="text-sm text-amber-900"
      >
        Recorded ({meaning}). Not signed with a passkey: you have none.{" "}
        <Link href="/settings" className="text-brand-700 underline">
          Add a passkey in Settings
        </Link>{" "}
        to sign your decisions.
      </p>
    );
  }
  if (outcome) {
    return (
      <p role="status" data-testid="signature-outcome" className="text-sm text-green-900">
        {outcome}
      </p>
    );
  }

  const signNow = async () => {
    setError(null);
    try {
      const { options: optionsJSON } = await options.mutateAsync({ eventId: request.eventId });
      const response = await startAuthentication({ optionsJSON });
      const signed = await sign.mutateAsync({ eventId: request.eventId, response });
      setOutcome(
        `Signed with your passkey: ${meaning}, ${formatDateTime(signed.signedAt, timeZone, { seconds: true })}.`,
      );
      onDone?.();
    } catch (err) {
      setError(
        err instanceof WebAuthnError || (err as Error)?.name === "NotAllowedError"
          ? "The passkey prompt was cancelled or timed out. Sign again, or choose Not now."
          : ((err as Error)?.message ?? "The signature could not be recorded."),
      );
    }
  };
  const notNow = async () => {
    setError(null);
    const r = await decline.mutateAsync({ eventId: request.eventId }).catch((err: Error) => {
      setError(err.message);
      return null;
    });
    if (r) {
      setOutcome(`Recorded as not signed with a passkey: ${meaning}.`);
      onDone?.();
    }
  };
  return (
    <div className="space-y-2 rounded-md border border-brand-600 bg-brand-50 p-3" data-testid="sign-decision">
      <p className="text-sm text-slate-900">
        Sign this decision with your passkey. Your signature means: <strong>{meaning}</strong>.
      </p>
      <div className="flex flex-wrap gap-2">
        <Button type="button" onClick={signNow} disabled={busy}>
          Sign with passkey
        </Button>
        <Button type="button" onClick={notNow} disabled={busy} className="bg-slate-600 hover:bg-slate-800">
          Not now
        </Button>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

"use client";

import { startRegistration, WebAuthnError } from "@simplewebauthn/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { usePreferences } from "@/app/_components/preferences";
import { Button, Card } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import { formatDateTime } from "@/server/format/format";

/**
 * The person's passkeys, with which they sign their decisions (an offer's answer, a hand-off, a
 * discard, consent). Adding one records its public key on the ledger, so anyone holding an audit
 * bundle can check the signatures.
 */
export function Passkeys() {
  const trpc = useTRPC();
  const { timeZone } = usePreferences().preferences;
  const dateOf = (d: Date | string) => formatDateTime(d, timeZone);
  const queryClient = useQueryClient();
  const mine = useQuery(trpc.passkey.mine.queryOptions());
  const options = useMutation(trpc.passkey.enrolmentOptions.mutationOptions());
  const enrol = useMutation(
    trpc.passkey.enrol.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.passkey.mine.queryKey() }),
    }),
  );
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const add = async () => {
    setMessage(null);
    setError(null);
    try {
      const optionsJSON = await options.mutateAsync();
      const response = await startRegistration({ optionsJSON });
      const added = await enrol.mutateAsync({ response });
      setMessage(`Passkey added ${dateOf(added.createdAt)}. Your decisions can now be signed with it.`);
    } catch (err) {
      setError(
        err instanceof WebAuthnError || (err as Error)?.name === "NotAllowedError"
          ? "The passkey prompt was cancelled or timed out; nothing was added."
          : ((err as Error)?.message ?? "The passkey could not be added."),
      );
    }
  };

  return (
    <Card title="Passkeys for signing">
      <p className="text-sm text-slate-700">
        Sign your decisions (accepting or refusing an offer, handing over or receiving an organ, a discard, a
        consent decision) with a passkey on this device: your fingerprint, face or PIN. The key's public half
        goes on the ledger so regulators can check every signature.
      </p>
      {mine.data && mine.data.length > 0 ? (
        <ul className="mt-3 space-y-1 text-sm" data-testid="passkey-list">
          {mine.data.map((p) => (
            <li key={p.id}>
              Passkey added {dateOf(p.createdAt)}
              {p.lastUsedAt ? `, last used ${dateOf(p.lastUsedAt)}` : ", not used yet"}
            </li>
          ))}
        </ul>
      ) : mine.data ? (
        <p className="mt-3 text-sm" data-testid="passkey-list">
          No passkey yet: your decisions are recorded as not signed with a passkey.
        </p>
      ) : null}
      <div className="mt-3">
        <Button type="button" onClick={add} disabled={options.isPending || enrol.isPending}>
          Add a passkey
        </Button>
      </div>
      {message ? (
        <p role="status" className="mt-2 text-sm text-green-900">
          {message}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </Card>
  );
}

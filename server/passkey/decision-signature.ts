import "server-only";

import { z } from "zod";
import { sqlOf, type TSql, type Tx } from "@/server/db";
import { appendEvent, type TActor, type TAppendedEvent } from "@/server/ledger/append-event";
import {
  SIGNATURE_MEANING_CODES,
  signatureMeaningOf,
  type TSignatureMeaning,
} from "@/server/ledger/signature-meaning";

export const ZSignatureRequestSchema = z.object({
  eventId: z.string(),
  eventHash: z.string(),
  meaning: z.enum(SIGNATURE_MEANING_CODES),
  signWith: z.enum(["passkey", "none"]),
});

/** What the client needs to have a decision signed: the event, its hash (the challenge) and its meaning. */
export type TSignatureRequest = {
  eventId: string;
  eventHash: string;
  meaning: TSignatureMeaning;
  /** "passkey": the person has one and is asked to sign; "none": the fallback is already recorded. */
  signWith: "passkey" | "none";
};

/**
 * Called by a decision's domain function right after it appended the decision event, in the same
 * transaction. A person with a passkey is then asked to sign the event's hash (sign-decision.ts);
 * for a person without one, the fallback `signature.not_signed` (NO_PASSKEY) is recorded now, with
 * the decision, so a regulator sees it was not signed rather than a gap.
 */
export async function requestDecisionSignature(opts: {
  tx: Tx | TSql;
  event: TAppendedEvent;
  decision: { type: string; payload: unknown };
  actor: TActor;
  now?: Date;
}): Promise<TSignatureRequest | null> {
  const { tx, event, actor } = opts;
  const meaning = signatureMeaningOf(opts.decision);
  if (!meaning || !actor.userId) return null;
  const [passkeys] = await sqlOf(tx).query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Passkey" WHERE "userId" = $1::uuid`,
    [actor.userId],
  );
  const hasPasskey = (passkeys?.n ?? 0) > 0;
  if (!hasPasskey) {
    await appendEvent({
      tx,
      subject: { type: event.subjectType, id: event.subjectId },
      type: "signature.not_signed",
      payload: { signedEventId: event.id, signedEventHash: event.hash, meaning, reasonCode: "NO_PASSKEY" },
      actor,
      now: opts.now,
    });
  }
  return { eventId: event.id, eventHash: event.hash, meaning, signWith: hasPasskey ? "passkey" : "none" };
}

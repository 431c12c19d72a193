import { verifyAuthenticationResponse } from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import type { TEventPayload } from "./event-types";
import type { TReport } from "./ledger-checks";
import { subjectKey } from "./ledger-checks";
import { signatureMeaningOf } from "./signature-meaning";

/**
 * Passkey signatures on decisions, checked from ledger events alone (an audit bundle): the offline
 * verifier and the portal's own signing both use `verifyPasskeyAssertion`, so they cannot disagree
 * about what a valid signature is.
 */

/** The WebAuthn challenge for an event: the 32 bytes of its hash, base64url as clientDataJSON carries it. */
export function challengeForEventHash(eventHash: string): string {
  if (!/^0x[0-9a-f]{64}$/.test(eventHash)) throw new Error("an event hash is 0x and 64 hex digits");
  return isoBase64URL.fromBuffer(Uint8Array.from(Buffer.from(eventHash.slice(2), "hex")));
}

export type TPasskeyAssertion = TEventPayload<"signature.recorded">["assertion"];

/**
 * Verifies an assertion over an event hash: the challenge must be exactly that hash, the origin and
 * RP id those the passkey was enrolled for, the signature valid under its public key, and the
 * person verified (PIN or biometric), not merely present. `counter` is the last counter seen (0 when
 * unknown, as offline): a non-zero counter that does not go up is refused.
 */
export async function verifyPasskeyAssertion(opts: {
  eventHash: string;
  credentialId: string;
  assertion: TPasskeyAssertion;
  publicKey: Uint8Array;
  counter: number;
  rpId: string;
  origin: string;
}): Promise<{ ok: true; counter: number } | { ok: false; reason: string }> {
  try {
    const result = await verifyAuthenticationResponse({
      response: {
        id: opts.credentialId,
        rawId: opts.credentialId,
        type: "public-key",
        response: opts.assertion,
        clientExtensionResults: {},
      },
      expectedChallenge: challengeForEventHash(opts.eventHash),
      expectedOrigin: opts.origin,
      expectedRPID: opts.rpId,
      credential: {
        id: opts.credentialId,
        publicKey: Uint8Array.from(opts.publicKey),
        counter: opts.counter,
      },
      requireUserVerification: true,
    });
    if (!result.verified) return { ok: false, reason: "the signature does not verify under the passkey" };
    return { ok: true, counter: result.authenticationInfo.newCounter };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** The fields of an event these checks read (a bundle's events have them all). */
export type TSignatureCheckedEvent = {
  id: string;
  type: string;
  subjectType: string;
  subjectId: string;
  sequence: number;
  serverTime: string;
  actor: { userId: string | null };
  payload: unknown;
  hash: string;
};

/**
 * Every `signature.recorded` and `signature.not_signed` among `events`, checked against the events
 * they sign and the `passkey.enrolled` events that carry the keys: the signed event is present on
 * the same subject with the hash the signature names; the meaning is the one that event has; the
 * passkey was enrolled, before signing, by the person who made the decision; the assertion verifies;
 * the authenticator's counter goes up from one signature to the next; one signature record per
 * decision. Each failure is a `passkey-signature` finding naming the signature event.
 */
export async function checkPasskeySignatures(
  events: TSignatureCheckedEvent[],
  report: TReport,
): Promise<number> {
  const byId = new Map(events.map((e) => [e.id, e]));
  const enrolments = new Map<
    string,
    { event: TSignatureCheckedEvent; p: TEventPayload<"passkey.enrolled"> }
  >();
  for (const e of events) {
    if (e.type !== "passkey.enrolled") continue;
    const p = e.payload as TEventPayload<"passkey.enrolled">;
    enrolments.set(p.credentialId, { event: e, p });
  }
  const signatures = events
    .filter((e) => e.type === "signature.recorded" || e.type === "signature.not_signed")
    .sort((a, b) => (a.serverTime < b.serverTime ? -1 : a.serverTime > b.serverTime ? 1 : 0));
  const seen = new Map<string, string>();
  const lastCounter = new Map<string, number>();
  let checked = 0;
  for (const s of signatures) {
    const fail = (why: string) =>
      report({
        check: "passkey-signature",
        eventId: s.id,
        subject: subjectKey(s),
        sequence: s.sequence,
        message: `signature ${s.id} (${subjectKey(s)} #${s.sequence}): ${why}`,
      });
    const p = s.payload as TEventPayload<"signature.not_signed"> | TEventPayload<"signature.recorded">;
    const signed = byId.get(p.signedEventId);
    if (!signed || subjectKey(signed) !== subjectKey(s)) {
      fail(`the decision it signs (${p.signedEventId}) is not on this subject in the bundle`);
      continue;
    }
    const earlier = seen.get(signed.id);
    if (earlier) fail(`decision ${signed.id} already has a signature record (${earlier})`);
    seen.set(signed.id, s.id);
    if (signed.hash !== p.signedEventHash) {
      fail(`it names hash ${p.signedEventHash} but decision ${signed.id} has ${signed.hash}`);
      continue;
    }
    if (signatureMeaningOf(signed) !== p.meaning) {
      fail(
        `it claims "${p.meaning}" but decision ${signed.id} (${signed.type}) means "${signatureMeaningOf(signed) ?? "nothing signable"}"`,
      );
    }
    if (s.type === "signature.not_signed") continue;
    const sp = p as TEventPayload<"signature.recorded">;
    const enrolment = enrolments.get(sp.credentialId);
    if (!enrolment || enrolment.p.passkeyId !== sp.passkeyId) {
      fail(`passkey ${sp.passkeyId} has no enrolment in the bundle, so its key is unknown`);
      continue;
    }
    if (enrolment.event.serverTime > s.serverTime)
      fail(`passkey ${sp.passkeyId} was enrolled after it signed`);
    if (enrolment.p.userId !== signed.actor.userId || s.actor.userId !== signed.actor.userId) {
      fail(
        `passkey ${sp.passkeyId} belongs to user ${enrolment.p.userId}, not to ${signed.actor.userId ?? "the system"} who made the decision`,
      );
    }
    checked += 1;
    const verdict = await verifyPasskeyAssertion({
      eventHash: signed.hash,
      credentialId: sp.credentialId,
      assertion: sp.assertion,
      publicKey: isoBase64URL.toBuffer(enrolment.p.publicKey),
      counter: 0,
      rpId: enrolment.p.rpId,
      origin: enrolment.p.origin,
    });
    if (!verdict.ok) {
      fail(`the passkey signature on decision ${signed.id} does not verify: ${verdict.reason}`);
      continue;
    }
    const last = lastCounter.get(sp.credentialId);
    if (last !== undefined && (last > 0 || verdict.counter > 0) && verdict.counter <= last) {
      fail(
        `passkey ${sp.passkeyId}'s counter went from ${last} to ${verdict.counter}: a replayed or cloned authenticator`,
      );
    }
    lastCounter.set(sp.credentialId, verdict.counter);
  }
  return checked;
}

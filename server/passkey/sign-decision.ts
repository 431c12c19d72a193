import "server-only";

import { generateAuthenticationOptions } from "@simplewebauthn/server";
import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { actorOf } from "@/server/consent/donor-record";
import { prisma, type Tx, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";
import { verifyPasskeyAssertion } from "@/server/ledger/passkey-signatures";
import { signatureMeaningOf } from "@/server/ledger/signature-meaning";
import { relyingParty } from "./relying-party";

const b64url = z
  .string()
  .min(1)
  .max(4000)
  .regex(/^[A-Za-z0-9_-]+$/, "must be base64url");

/** What `@simplewebauthn/browser`'s startAuthentication returns (the fields the server reads). */
export const ZAuthenticationResponseSchema = z.object({
  id: b64url,
  rawId: b64url,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url,
    authenticatorData: b64url,
    signature: b64url,
    userHandle: b64url.max(200).optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  // Extensions are not used; their outputs are dropped.
  clientExtensionResults: z.unknown().optional(),
});

const SIGNATURE_TYPES = ["signature.recorded", "signature.not_signed"];

/** The person's own decision event, and what signing it means; anything else is refused by name. */
async function loadDecision(db: Tx | typeof prisma, eventId: string, userId: string) {
  const event = await db.ledgerEvent.findUnique({
    where: { id: eventId },
    select: {
      id: true,
      subjectType: true,
      subjectId: true,
      type: true,
      payload: true,
      hash: true,
      actorUserId: true,
    },
  });
  if (!event || event.actorUserId !== userId)
    throw new AppError("NOT_FOUND", "eventId: no decision of yours with this id");
  const meaning = signatureMeaningOf(event);
  if (!meaning)
    throw new AppError("BAD_REQUEST", `eventId: a ${event.type} event is not a decision that is signed`);
  return { ...event, meaning };
}

async function assertNotYetSigned(
  db: Tx | typeof prisma,
  event: { id: string; subjectType: string; subjectId: string },
) {
  const existing = await db.ledgerEvent.findFirst({
    where: {
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      type: { in: SIGNATURE_TYPES },
      payload: { path: ["signedEventId"], equals: event.id },
    },
    select: { type: true },
  });
  if (existing)
    throw new AppError(
      "CONFLICT",
      existing.type === "signature.recorded"
        ? "this decision is already signed"
        : "this decision is already recorded as not signed with a passkey",
    );
}

/** Serialises signing with every other append to the decision's subject (appendEvent's own lock). */
const lockSubject = (tx: Tx, e: { subjectType: string; subjectId: string }) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`ledger:${e.subjectType}:${e.subjectId}`}, 0))`;

/**
 * WebAuthn request options whose challenge is the decision's event hash, so the assertion signs
 * exactly that event; only the person's own passkeys are allowed, with user verification.
 */
export async function decisionSigningOptions({
  user,
  eventId,
}: {
  user: Pick<TSessionUser, "id">;
  eventId: string;
}) {
  const event = await loadDecision(prisma, eventId, user.id);
  await assertNotYetSigned(prisma, event);
  const passkeys = await prisma.passkey.findMany({
    where: { userId: user.id },
    select: { credentialId: true, transports: true },
  });
  if (passkeys.length === 0)
    throw new AppError("PRECONDITION_FAILED", "you have no passkey; add one in Settings");
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().rpId,
    challenge: Uint8Array.from(Buffer.from(event.hash.slice(2), "hex")),
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })),
    userVerification: "required",
  });
  return { options, meaning: event.meaning };
}

/**
 * Verifies the person's assertion over the decision's hash and records it as `signature.recorded`
 * on the decision's subject. Refused: another person's decision or passkey, a decision already
 * signed or declined (so an assertion cannot be replayed), a counter that did not go up.
 */
export async function signDecision({
  user,
  eventId,
  response,
}: {
  user: Pick<TSessionUser, "id" | "role" | "organisationId">;
  eventId: string;
  response: z.output<typeof ZAuthenticationResponseSchema>;
}) {
  const rp = relyingParty();
  return withTransaction(async (tx) => {
    const event = await loadDecision(tx, eventId, user.id);
    await lockSubject(tx, event);
    await assertNotYetSigned(tx, event);
    const passkey = await tx.passkey.findUnique({ where: { credentialId: response.id } });
    if (!passkey || passkey.userId !== user.id)
      throw new AppError("BAD_REQUEST", "response.id: this passkey is not enrolled to you");
    const verdict = await verifyPasskeyAssertion({
      eventHash: event.hash,
      credentialId: passkey.credentialId,
      assertion: response.response,
      publicKey: passkey.publicKey,
      counter: Number(passkey.counter),
      rpId: rp.rpId,
      origin: rp.origin,
    });
    if (!verdict.ok)
      throw new AppError("BAD_REQUEST", `the passkey signature was refused: ${verdict.reason}`);
    // Conditional on the counter read, so two signatures racing with one counter cannot both pass.
    const updated = await tx.passkey.updateMany({
      where: { id: passkey.id, counter: passkey.counter },
      data: { counter: BigInt(verdict.counter), lastUsedAt: new Date() },
    });
    if (updated.count === 0)
      throw new AppError("CONFLICT", "this passkey was used at the same time; sign again");
    const recorded = await appendEvent({
      tx,
      subject: { type: event.subjectType, id: event.subjectId },
      type: "signature.recorded",
      payload: {
        signedEventId: event.id,
        signedEventHash: event.hash,
        meaning: event.meaning,
        passkeyId: passkey.id,
        credentialId: passkey.credentialId,
        assertion: response.response,
      },
      actor: actorOf(user),
    });
    return { signatureEventId: recorded.id, signedAt: recorded.serverTime, meaning: event.meaning };
  });
}

/** The person chose not to sign (cancelled the prompt): the fallback is recorded, visible to regulators. */
export async function declineSigning({
  user,
  eventId,
}: {
  user: Pick<TSessionUser, "id" | "role" | "organisationId">;
  eventId: string;
}) {
  return withTransaction(async (tx) => {
    const event = await loadDecision(tx, eventId, user.id);
    await lockSubject(tx, event);
    await assertNotYetSigned(tx, event);
    const recorded = await appendEvent({
      tx,
      subject: { type: event.subjectType, id: event.subjectId },
      type: "signature.not_signed",
      payload: {
        signedEventId: event.id,
        signedEventHash: event.hash,
        meaning: event.meaning,
        reasonCode: "DECLINED",
      },
      actor: actorOf(user),
    });
    return { eventId: recorded.id, meaning: event.meaning };
  });
}

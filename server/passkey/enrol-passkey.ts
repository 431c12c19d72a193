import "server-only";

import { randomUUID } from "node:crypto";
import { generateRegistrationOptions, verifyRegistrationResponse } from "@simplewebauthn/server";
import { decodeCredentialPublicKey, isoBase64URL } from "@simplewebauthn/server/helpers";
import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { actorOf } from "@/server/consent/donor-record";
import { prisma, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";
import { relyingParty } from "./relying-party";

const CHALLENGE_TTL_MS = 5 * 60_000;
const b64url = z
  .string()
  .min(1)
  .max(8000)
  .regex(/^[A-Za-z0-9_-]+$/, "must be base64url");

/** What `@simplewebauthn/browser`'s startRegistration returns (the fields the server reads). */
export const ZRegistrationResponseSchema = z.object({
  id: b64url,
  rawId: b64url,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url,
    attestationObject: b64url,
    transports: z.array(z.string().max(30)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url.optional(),
    authenticatorData: b64url.optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  // Extensions are not used; their outputs are dropped.
  clientExtensionResults: z.unknown().optional(),
});

/**
 * Registration options for the signed-in person: a fresh random challenge kept for five minutes
 * and good once, their existing passkeys excluded, user verification required (a signature must
 * show the person, not just a touch).
 */
export async function passkeyEnrolmentOptions({
  user,
}: {
  user: Pick<TSessionUser, "id" | "email" | "name">;
}) {
  const rp = relyingParty();
  const existing = await prisma.passkey.findMany({
    where: { userId: user.id },
    select: { credentialId: true },
  });
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpId,
    userName: user.email,
    userDisplayName: user.name,
    userID: Uint8Array.from(Buffer.from(user.id.replaceAll("-", ""), "hex")),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.credentialId })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
  });
  await prisma.passkeyChallenge.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  await prisma.passkeyChallenge.create({
    data: {
      userId: user.id,
      challenge: options.challenge,
      expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
    },
  });
  return options;
}

/**
 * Verifies the browser's registration against a challenge issued to this person (consumed here),
 * and records the passkey and its `passkey.enrolled` ledger event (with the public key) together.
 */
export async function enrolPasskey({
  user,
  response,
}: {
  user: Pick<TSessionUser, "id" | "role" | "organisationId">;
  response: z.output<typeof ZRegistrationResponseSchema>;
}): Promise<{ passkeyId: string; createdAt: Date }> {
  const rp = relyingParty();
  let challenge: string;
  try {
    challenge = JSON.parse(
      Buffer.from(response.response.clientDataJSON, "base64url").toString("utf8"),
    ).challenge;
  } catch {
    throw new AppError("BAD_REQUEST", "response.clientDataJSON: not the browser's client data");
  }
  if (typeof challenge !== "string")
    throw new AppError("BAD_REQUEST", "response.clientDataJSON: carries no challenge");
  return withTransaction(async (tx) => {
    const issued = await tx.passkeyChallenge.deleteMany({
      where: { userId: user.id, challenge, expiresAt: { gt: new Date() } },
    });
    if (issued.count === 0)
      throw new AppError("BAD_REQUEST", "this passkey request has expired or was already used; start again");
    const verified = await verifyRegistrationResponse({
      response: { ...response, clientExtensionResults: {} },
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: true,
    }).catch((err: unknown) => {
      throw new AppError(
        "BAD_REQUEST",
        `the passkey could not be verified: ${err instanceof Error ? err.message : err}`,
      );
    });
    if (!verified.verified) throw new AppError("BAD_REQUEST", "the passkey could not be verified");
    const { credential } = verified.registrationInfo;
    if (await tx.passkey.findUnique({ where: { credentialId: credential.id }, select: { id: true } }))
      throw new AppError("CONFLICT", "this passkey is already enrolled");
    const id = randomUUID();
    // COSE key parameter 3 is the algorithm.
    const algorithm = Number(decodeCredentialPublicKey(credential.publicKey).get(3));
    const row = await tx.passkey.create({
      data: {
        id,
        userId: user.id,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey),
        counter: BigInt(credential.counter),
        transports: credential.transports ?? [],
      },
    });
    await appendEvent({
      tx,
      subject: { type: "passkey", id },
      type: "passkey.enrolled",
      payload: {
        passkeyId: id,
        userId: user.id,
        credentialId: credential.id,
        publicKey: isoBase64URL.fromBuffer(credential.publicKey),
        algorithm,
        rpId: rp.rpId,
        origin: rp.origin,
      },
      actor: actorOf(user),
    });
    return { passkeyId: id, createdAt: row.createdAt };
  });
}

/** The signed-in person's passkeys (no key material), newest first. */
export async function listMyPasskeys({ userId }: { userId: string }) {
  const rows = await prisma.passkey.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, createdAt: true, lastUsedAt: true },
  });
  return rows;
}

import "server-only";

import { randomUUID } from "node:crypto";
import { z } from "zod";
import { hashPassword } from "@/server/auth/password";
import { blindIndex, blindIndexCandidates } from "@/server/crypto/blind-index";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import { createRecordKey } from "@/server/crypto/envelope";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { type Tx, withTransaction } from "@/server/db";
import { AppError, isAppError } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { encryptIdentity, type TStoredIdentity } from "./donor-record";
import { KEY_WAIT, lockDataKeysShared } from "./key-lock";
import { makeDonorRegistrationSchema, ZPhoneSchema } from "./registration-schema";

export const MIN_PASSWORD_LENGTH = 12;

/** Sign-up as a donor: identity (encrypted at rest) plus the account used to sign in. */
export function makeDonorSignUpSchema(opts: { now?: () => Date } = {}) {
  return makeDonorRegistrationSchema(opts)
    .omit({ contact: true })
    .extend({
      email: z
        .email("enter a valid e-mail address")
        .max(254, "the e-mail address is too long")
        .transform((v) => v.toLowerCase()),
      phone: z.union([z.literal("").transform(() => undefined), ZPhoneSchema]).optional(),
      password: z
        .string({ error: "choose a password" })
        .min(MIN_PASSWORD_LENGTH, `the password needs at least ${MIN_PASSWORD_LENGTH} characters`)
        .max(256, "the password is too long (256 characters at most)"),
    });
}
export const ZDonorSignUpSchema = makeDonorSignUpSchema();
export type TDonorSignUpInput = z.input<typeof ZDonorSignUpSchema>;
export type TDonorSignUp = z.output<typeof ZDonorSignUpSchema>;

const DUPLICATE_IDENTITY =
  "this identifier and date of birth are already registered; sign in to change that registration";

/** Finds a registrant (not erased) by identifier and date of birth via the blind index. */
export async function findDonorByIdentity({
  tx,
  ring = dataKeyRing(),
  identifier,
  dateOfBirth,
}: {
  tx: Tx;
  ring?: TKeyRing;
  identifier: { scheme: string; value: string };
  dateOfBirth: string;
}) {
  const indexes = blindIndexCandidates({
    ring,
    scheme: identifier.scheme,
    identifier: identifier.value,
    dateOfBirth,
  });
  return tx.donor.findFirst({ where: { identityIndex: { in: indexes }, erasedAt: null } });
}

/**
 * Creates a registrant record. Identity is encrypted under a fresh record key; the blind index is
 * unique, so registering the same person twice is refused even when two requests race.
 */
export async function createDonorRecord({
  tx,
  ring = dataKeyRing(),
  identity,
  userId,
}: {
  tx: Tx;
  ring?: TKeyRing;
  identity: TStoredIdentity;
  userId?: string;
}): Promise<{ donorId: string }> {
  await lockDataKeysShared(tx);
  if (
    await findDonorByIdentity({
      tx,
      ring,
      identifier: identity.identifier,
      dateOfBirth: identity.dateOfBirth,
    })
  ) {
    throw new AppError("CONFLICT", DUPLICATE_IDENTITY, { "identifier.value": DUPLICATE_IDENTITY });
  }
  const donorId = randomUUID();
  const wrappedKey = createRecordKey({ ring });
  await tx.donor.create({
    data: {
      id: donorId,
      userId,
      wrappedKey,
      identityIndex: blindIndex({
        ring,
        scheme: identity.identifier.scheme,
        identifier: identity.identifier.value,
        dateOfBirth: identity.dateOfBirth,
      }),
      identityCiphertext: encryptIdentity(ring, wrappedKey, donorId, identity),
    },
  });
  return { donorId };
}

export type TRegistrationOutcome =
  | { registered: true; userId: string; donorId: string }
  | { registered: false };

/**
 * Registers a donor: account and registrant record in one transaction. A sign-up whose e-mail
 * has an account, or whose identifier and date of birth are registered already, writes nothing and
 * is not refused either (the caller answers every sign-up alike, `REGISTRATION_RECEIVED` in registration-notice.ts). The
 * account's display name is not the person's name: names live only in the encrypted identity.
 */
export async function registerDonor({
  input,
  ring = dataKeyRing(),
}: {
  input: TDonorSignUp;
  ring?: TKeyRing;
}): Promise<TRegistrationOutcome> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await withTransaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
        return { registered: false };
      }
      const identity = {
        fullName: input.fullName,
        dateOfBirth: input.dateOfBirth,
        identifier: input.identifier,
        contact: { email: input.email, ...(input.phone ? { phone: input.phone } : {}) },
      };
      if (
        await findDonorByIdentity({
          tx,
          ring,
          identifier: identity.identifier,
          dateOfBirth: identity.dateOfBirth,
        })
      ) {
        return { registered: false };
      }
      const user = await tx.user.create({
        data: { email: input.email, name: "Registered donor", passwordHash, role: "DONOR" },
      });
      const { donorId } = await createDonorRecord({ tx, ring, userId: user.id, identity });
      return { registered: true, userId: user.id, donorId };
    }, KEY_WAIT);
  } catch (err) {
    // Two sign-ups racing past the checks meet the unique constraints, or the record's own re-check
    // under the key lock, instead: the same answer, never "already registered" to a stranger.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      return { registered: false };
    }
    if (isAppError(err) && err.code === "CONFLICT" && err.message === DUPLICATE_IDENTITY) {
      return { registered: false };
    }
    throw err;
  }
}

import { z } from "zod";
import { prisma } from "@/server/db";
import { verifyPassword } from "./password";
import type { TSessionUser } from "./roles";

export const ZCredentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid e-mail address").max(254),
  password: z.string().min(1, "Enter your password").max(256),
});

const MAX_FAILURES = 5;
const LOCK_MINUTES = 15;

export type TSignInResult =
  | { ok: true; user: TSessionUser }
  | { ok: false; reason: "invalid" | "locked"; lockedUntil?: Date };

/**
 * Checks an e-mail and password. After five failures in a row the account is locked for fifteen
 * minutes, so a password cannot be guessed online; the same message is given for an unknown e-mail
 * and a wrong password, so accounts cannot be enumerated.
 */
export async function verifyCredentials(input: unknown, now = new Date()): Promise<TSignInResult> {
  const parsed = ZCredentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;

  const user = await prisma.user.findUnique({ where: { email }, include: { organisation: true } });
  if (!user) {
    // Spend the same time as a real check so timing does not reveal which e-mails exist.
    await verifyPassword(DUMMY_HASH, password);
    return { ok: false, reason: "invalid" };
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    return { ok: false, reason: "locked", lockedUntil: user.lockedUntil };
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    const failures = user.failedSignIns + 1;
    const lockedUntil = failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null;
    await prisma.user.update({
      where: { id: user.id },
      data: { failedSignIns: lockedUntil ? 0 : failures, lockedUntil },
    });
    return lockedUntil ? { ok: false, reason: "locked", lockedUntil } : { ok: false, reason: "invalid" };
  }
  if (user.failedSignIns > 0 || user.lockedUntil) {
    await prisma.user.update({ where: { id: user.id }, data: { failedSignIns: 0, lockedUntil: null } });
  }
  return {
    ok: true,
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      organisationId: user.organisationId,
      organisationName: user.organisation?.name ?? null,
    },
  };
}

// A valid argon2id hash of a random string, for constant-time failure on unknown e-mails.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Wm5x0k2o5m3Ybq5w3u2pQm3r3v4o1hS8l0c3N2g9u8E";

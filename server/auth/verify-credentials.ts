import "server-only";

import { z } from "zod";
import { directSql, prisma } from "@/server/db";
import { rateLimiter } from "@/server/security/rate-limit-policy";
import { verifyPassword } from "./password";
import type { TRole, TSessionUser } from "./roles";
import { endUserSessions } from "./sessions";

export const ZCredentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid e-mail address").max(254),
  password: z.string().min(1, "Enter your password").max(256),
});

const MAX_FAILURES = 5;
const LOCK_MINUTES = 15;

export type TSignInResult =
  | { ok: true; user: TSessionUser }
  | { ok: false; reason: "invalid" | "locked" | "deactivated"; lockedUntil?: Date };

/**
 * Checks an e-mail and password. After five failures in a row the account is locked for fifteen
 * minutes, so a password cannot be guessed online, and every session it has ends (a lock-out
 * signs the account out everywhere). Nothing tells a registered e-mail from an unknown one: the
 * same answer for a wrong password, the same time spent (a password hash is always checked), and
 * an unknown e-mail "locks" after five failures too (counted in the rate-limit store, since there
 * is no row to count on).
 */
export async function verifyCredentials(input: unknown, now = new Date()): Promise<TSignInResult> {
  const parsed = ZCredentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;

  const user = await findAccount(email);
  if (!user) {
    // Spend the same time as a real check so timing does not reveal which e-mails exist.
    await verifyPassword(DUMMY_HASH, password);
    return (await failUnknownAccount(email))
      ? { ok: false, reason: "locked" }
      : { ok: false, reason: "invalid" };
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await verifyPassword(DUMMY_HASH, password); // as long as any other answer
    return { ok: false, reason: "locked", lockedUntil: user.lockedUntil };
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    const failures = user.failedSignIns + 1;
    const lockedUntil = failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null;
    await prisma.user.update({
      where: { id: user.id },
      data: { failedSignIns: lockedUntil ? 0 : failures, lockedUntil },
    });
    if (lockedUntil) await endUserSessions({ userId: user.id });
    return lockedUntil ? { ok: false, reason: "locked", lockedUntil } : { ok: false, reason: "invalid" };
  }
  // Said only after the right password, so it tells nothing to someone guessing.
  if (user.deactivatedAt) return { ok: false, reason: "deactivated" };
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
      organisationName: user.organisationName,
    },
  };
}

/** The account of an e-mail with its organisation's name: one statement on the pool, not Prisma's. */
async function findAccount(email: string) {
  const [row] = await directSql().query<{
    id: string;
    email: string;
    name: string;
    passwordHash: string;
    role: TRole;
    organisationId: string | null;
    organisationName: string | null;
    failedSignIns: number;
    lockedUntil: Date | null;
    deactivatedAt: Date | null;
  }>(
    `SELECT u.id::text AS id, u.email, u.name, u."passwordHash", u.role::text AS role,
            u."organisationId"::text AS "organisationId", o.name AS "organisationName", u."failedSignIns",
            u."lockedUntil" AT TIME ZONE 'UTC' AS "lockedUntil", u."deactivatedAt" AT TIME ZONE 'UTC' AS "deactivatedAt"
       FROM "User" u LEFT JOIN "Organisation" o ON o.id = u."organisationId"
      WHERE u.email = $1`,
    [email],
  );
  return row;
}

/**
 * A failed sign-in for an e-mail with no account, counted like an account's failures: the fifth
 * in a row (within a day) "locks" it for fifteen minutes. Returns whether it is now locked.
 */
async function failUnknownAccount(email: string): Promise<boolean> {
  const limiter = rateLimiter();
  if (!(await limiter.check(UNKNOWN_LOCK, email)).allowed) return true;
  if ((await limiter.consume(UNKNOWN_FAILURES, email)).allowed) return false;
  await limiter.consume(UNKNOWN_LOCK, email);
  await limiter.reset(UNKNOWN_FAILURES, email);
  return true;
}

const UNKNOWN_FAILURES = {
  name: "unknown-account-failures",
  limit: MAX_FAILURES - 1,
  windowMs: 24 * 3_600_000,
};
// One hit starts the lock's window; while it lasts, `check` refuses.
const UNKNOWN_LOCK = { name: "unknown-account-lock", limit: 1, windowMs: LOCK_MINUTES * 60_000 };

// A valid argon2id hash of a random string, for constant-time failure on unknown e-mails.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Wm5x0k2o5m3Ybq5w3u2pQm3r3v4o1hS8l0c3N2g9u8E";

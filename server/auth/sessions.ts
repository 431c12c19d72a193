import "server-only";

import { randomBytes } from "node:crypto";
import { directSql, prisma, type Tx } from "@/server/db";
import { isDatabaseUnavailable } from "@/server/db/unavailable";
import { room } from "@/server/live/publish";
import { liveRegistry } from "@/server/live/registry";
import type { TSessionUser } from "./roles";

/**
 * Server-side sessions behind the JWT cookie. The cookie alone cannot be revoked (it is valid
 * until it expires, wherever it is presented), so it names a `UserSession` row and a request is
 * signed in only while that row exists, has not expired, and its user still has the role and
 * organisation the cookie carries. Ending a session is deleting its row: sign-out, erasure of the
 * account (the rows cascade), a lock-out, and a role or organisation change take effect on the
 * next request on every instance, and open sockets are disconnected.
 */

/** Absolute session length: a coordinator's shift. Activity does not extend it. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

/** socket.io room of one session's sockets, so sign-out disconnects only that session's tabs. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/** Starts a session for a user who has just proved who they are; returns its id for the cookie. */
export async function openSession(opts: { userId: string; now?: Date }): Promise<string> {
  const now = opts.now ?? new Date();
  const id = randomBytes(32).toString("base64url");
  // One statement, so one round trip and atomic: expired rows of this user go when a new one
  // comes (the table does not grow without end). Times are written as UTC, whatever the
  // connection's time zone, as Prisma writes them.
  await directSql().exec(
    `WITH expired AS (
       DELETE FROM "UserSession"
        WHERE "userId" = $2::uuid AND "expiresAt" < ($3::timestamptz AT TIME ZONE 'UTC')
     )
     INSERT INTO "UserSession" (id, "userId", "createdAt", "expiresAt")
     VALUES ($1, $2::uuid, $3::timestamptz AT TIME ZONE 'UTC', $4::timestamptz AT TIME ZONE 'UTC')`,
    [id, opts.userId, now.toISOString(), new Date(now.getTime() + SESSION_MAX_AGE_S * 1000).toISOString()],
  );
  return id;
}

export type TSessionCheck = "live" | "ended" | "unknown";

/**
 * Whether the session `sessionId` of `user` is still in force. "unknown" when the database cannot
 * be reached: the caller keeps the session for that request (every page and procedure needs the
 * database anyway), rather than signing everyone out during a restart.
 */
export async function checkSession(opts: {
  sessionId: unknown;
  user: Pick<TSessionUser, "id" | "role" | "organisationId">;
  now?: Date;
}): Promise<TSessionCheck> {
  if (typeof opts.sessionId !== "string" || !opts.sessionId) return "ended";
  try {
    // Asked on every signed-in request: one statement on the pool, not Prisma's two.
    const [row] = await directSql().query<{
      userId: string;
      expiresAt: Date;
      role: string;
      organisationId: string | null;
    }>(
      `SELECT s."userId"::text AS "userId", s."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt",
              u.role::text AS role, u."organisationId"::text AS "organisationId"
         FROM "UserSession" s JOIN "User" u ON u.id = s."userId"
        WHERE s.id = $1`,
      [opts.sessionId],
    );
    const now = opts.now ?? new Date();
    const live =
      row !== undefined &&
      row.userId === opts.user.id &&
      row.expiresAt > now &&
      row.role === opts.user.role &&
      row.organisationId === opts.user.organisationId;
    return live ? "live" : "ended";
  } catch (err) {
    if (isDatabaseUnavailable(err)) return "unknown";
    throw err;
  }
}

/** The sessions among `sessionIds` that are no longer in force (one query, for the socket sweep). */
export async function endedSessions(
  sessions: ReadonlyArray<{ sessionId: string; user: Pick<TSessionUser, "id" | "role" | "organisationId"> }>,
  now = new Date(),
): Promise<Set<string>> {
  if (sessions.length === 0) return new Set();
  const rows = await prisma.userSession.findMany({
    where: { id: { in: sessions.map((s) => s.sessionId) } },
    select: {
      id: true,
      userId: true,
      expiresAt: true,
      user: { select: { role: true, organisationId: true } },
    },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ended = new Set<string>();
  for (const s of sessions) {
    const row = byId.get(s.sessionId);
    const live =
      row !== undefined &&
      row.userId === s.user.id &&
      row.expiresAt > now &&
      row.user.role === s.user.role &&
      row.user.organisationId === s.user.organisationId;
    if (!live) ended.add(s.sessionId);
  }
  return ended;
}

/** Sign-out: ends this one session and disconnects its sockets. */
export async function endSession(sessionId: unknown): Promise<void> {
  if (typeof sessionId !== "string" || !sessionId) return;
  await prisma.userSession.deleteMany({ where: { id: sessionId } });
  disconnectSockets(sessionRoom(sessionId));
}

/**
 * Ends every session of a user (lock-out, role change, erasure). Inside a transaction, pass `tx`
 * and call `disconnectUserSockets` after it commits.
 */
export async function endUserSessions(opts: { userId: string; tx?: Tx }): Promise<void> {
  await (opts.tx ?? prisma).userSession.deleteMany({ where: { userId: opts.userId } });
  if (!opts.tx) disconnectUserSockets(opts.userId);
}

/** Disconnects a user's live sockets on every instance (through the Redis adapter when configured). */
export function disconnectUserSockets(userId: string): void {
  disconnectSockets(room.user(userId));
}

function disconnectSockets(name: string): void {
  const io = liveRegistry().io;
  if (!io) return;
  try {
    io.in(name).disconnectSockets(true);
  } catch (err) {
    // The session is ended in the database already; the socket sweep disconnects it shortly.
    console.error(`[sessions] could not disconnect ${name}: ${String(err)}`);
  }
}

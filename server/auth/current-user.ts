import "server-only";

import { env } from "@/server/env";
import type { TSessionUser } from "./roles";
import { sessionFromCookies } from "./session-cookie";
import { checkSession } from "./sessions";

/**
 * The signed-in user behind a Cookie header, or null: the session cookie decoded (cached per token
 * until it expires) and its server-side session still in force (asked every time, so sign-out,
 * erasure, a role change or a lock-out end it at once). Pages, /api/trpc and the socket share it.
 */
export async function currentUserFromCookie(cookie: string | null | undefined): Promise<TSessionUser | null> {
  const secret = env().AUTH_SECRET;
  if (!secret) return null;
  const session = await sessionFromCookies(cookie, secret);
  if (!session) return null;
  const check = await checkSession({ sessionId: session.sessionId, user: session.user });
  return check === "ended" ? null : session.user;
}

import "server-only";

import { decode } from "next-auth/jwt";
import { type TSessionUser, ZSessionUserSchema } from "./roles";

/** next-auth's session cookie: `__Secure-` over HTTPS; large sessions are split into name.0, name.1, … */
export const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

function parseCookies(header: string | undefined | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i <= 0) continue;
    try {
      out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
    } catch {
      // a malformed cookie value is not a session
    }
  }
  return out;
}

/**
 * Decoded sessions by token. Decoding a next-auth session is an HKDF key derivation plus AES and
 * HMAC over the token, and `auth()` re-encodes a fresh token on top: the profile showed it as the
 * largest fixed cost of every tRPC call. A token is immutable and carries its own expiry, so the
 * user it decodes to is cached until then; a forged or changed token is a different key and is
 * decoded (and refused) as before. Bounded, oldest first out.
 */
const MAX_CACHED = 5_000;
const decoded = new Map<string, TCookieSession & { expiresAt: number }>();

/**
 * What a session cookie carries: its user and the id of its server-side session
 * (`server/auth/sessions.ts`), which the caller must still check: the cache holds what the token
 * says, never whether the session is still in force.
 */
export type TCookieSession = { user: TSessionUser; sessionId: string | null };

async function sessionOfToken(token: string, salt: string, secret: string): Promise<TCookieSession | null> {
  const key = `${salt}\u0000${token}`;
  const hit = decoded.get(key);
  if (hit) {
    if (hit.expiresAt > Date.now()) return { user: hit.user, sessionId: hit.sessionId };
    decoded.delete(key);
  }
  try {
    const jwt = await decode({ token, secret, salt });
    const parsed = ZSessionUserSchema.safeParse(jwt?.user);
    const expiresAt = jwt?.exp ? jwt.exp * 1000 : Number.POSITIVE_INFINITY;
    if (!parsed.success || expiresAt <= Date.now()) return null;
    const sessionId = typeof jwt?.sid === "string" ? jwt.sid : null;
    if (decoded.size >= MAX_CACHED) decoded.delete(decoded.keys().next().value as string);
    decoded.set(key, { user: parsed.data, sessionId, expiresAt });
    return { user: parsed.data, sessionId };
  } catch {
    return null; // a forged or expired token is just no session
  }
}

/** The user a request's Cookie header names (not yet checked against the server-side session), or null. */
export async function userFromCookies(
  cookieHeader: string | undefined | null,
  secret: string,
): Promise<TSessionUser | null> {
  return (await sessionFromCookies(cookieHeader, secret))?.user ?? null;
}

/** The session a request's Cookie header carries (the same session as the pages), or null. */
export async function sessionFromCookies(
  cookieHeader: string | undefined | null,
  secret: string,
): Promise<TCookieSession | null> {
  const cookies = parseCookies(cookieHeader);
  for (const name of SESSION_COOKIES) {
    let token = cookies.get(name);
    if (!token) {
      const chunks: string[] = [];
      for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`) as string);
      token = chunks.length ? chunks.join("") : undefined;
    }
    if (!token) continue;
    const session = await sessionOfToken(token, name, secret);
    if (session) return session;
  }
  return null;
}

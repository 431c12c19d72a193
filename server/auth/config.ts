import "server-only";

import { headers } from "next/headers";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { isDatabaseUnavailable } from "@/server/db/unavailable";
import { clientIpFrom } from "@/server/security/client-address";
import {
  checkSignInAddress,
  clearSignInAttempts,
  consumeSignInAttempt,
  countFailedSignIn,
} from "@/server/security/rate-limit-policy";
import { currentUserFromCookie } from "./current-user";
import { type TSessionUser, ZSessionUserSchema } from "./roles";
import { checkSession, endSession, openSession, SESSION_MAX_AGE_S } from "./sessions";
import { verifyCredentials } from "./verify-credentials";

class InvalidCredentials extends CredentialsSignin {
  code = "invalid";
}
class AccountLocked extends CredentialsSignin {
  code = "locked";
}
/** An administrator deactivated the account. */
class AccountDeactivated extends CredentialsSignin {
  code = "deactivated";
}
/** The database is away: say so, rather than "wrong password". */
class SignInUnavailable extends CredentialsSignin {
  code = "unavailable";
}
/** Too many attempts for this e-mail from this address: refused before the password is even checked. */
class SignInRateLimited extends CredentialsSignin {
  code = "rate_limited";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/sign-in" },
  trustHost: true,
  providers: [
    Credentials({
      credentials: { email: { label: "E-mail" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        // Both ways in (the sign-in form's server action and a direct POST to /api/auth) pass here.
        const attempt = { ip: clientIpFrom(request.headers), email: String(credentials?.email ?? "") };
        // Per address whatever the e-mail (spraying one password over many accounts), then per e-mail.
        if (!(await checkSignInAddress(attempt)).allowed) throw new SignInRateLimited();
        if (!(await consumeSignInAttempt(attempt)).allowed) throw new SignInRateLimited();
        const result = await verifyCredentials(credentials).catch((err: unknown) => {
          if (isDatabaseUnavailable(err)) throw new SignInUnavailable();
          throw err;
        });
        if (!result.ok) {
          if (result.reason !== "deactivated") await countFailedSignIn(attempt);
          throw result.reason === "locked"
            ? new AccountLocked()
            : result.reason === "deactivated"
              ? new AccountDeactivated()
              : new InvalidCredentials();
        }
        await clearSignInAttempts(attempt);
        return result.user;
      },
    }),
  ],
  callbacks: {
    // Runs at sign-in (with `user`) and on every read of the session: the cookie counts only while
    // its server-side session is in force (server/auth/sessions.ts), so it can be revoked.
    async jwt({ token, user }) {
      if (user) {
        const sessionUser = ZSessionUserSchema.parse(user);
        return { ...token, user: sessionUser, sid: await openSession({ userId: sessionUser.id }) };
      }
      const parsed = ZSessionUserSchema.safeParse(token.user);
      if (!parsed.success) return null;
      return (await checkSession({ sessionId: token.sid, user: parsed.data })) === "ended" ? null : token;
    },
    session({ session, token }) {
      const parsed = ZSessionUserSchema.safeParse(token.user);
      if (parsed.success) Object.assign(session, { user: { ...parsed.data } });
      return session;
    },
  },
  events: {
    async signOut(message) {
      if ("token" in message) await endSession(message.token?.sid);
    },
  },
  logger: {
    // next-auth logs the failed credentials' error object; keep it to the code so nothing personal leaks.
    error(error) {
      if (error instanceof CredentialsSignin) return;
      console.error(`[auth] ${error.name}: ${error.message}`);
    },
    warn() {},
    debug() {},
  },
});

/**
 * The signed-in user of a request, or null. Decodes the session cookie itself (cached per token
 * until it expires) rather than through `auth()`, which decodes and re-encodes the token on every
 * call; the session callback above gives the same user from the same token.
 */
export async function currentUser(): Promise<TSessionUser | null> {
  return currentUserFromCookie((await headers()).get("cookie"));
}

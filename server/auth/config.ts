import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { isDatabaseUnavailable } from "@/server/db/unavailable";
import { clientIpFrom } from "@/server/security/client-address";
import { clearSignInAttempts, consumeSignInAttempt } from "@/server/security/rate-limit-policy";
import { type TSessionUser, ZSessionUserSchema } from "./roles";
import { verifyCredentials } from "./verify-credentials";

class InvalidCredentials extends CredentialsSignin {
  code = "invalid";
}
class AccountLocked extends CredentialsSignin {
  code = "locked";
}
/** The database is away: say so, rather than "wrong password". */
class SignInUnavailable extends CredentialsSignin {
  code = "unavailable";
}
/** Too many attempts for this e-mail from this address: refused before the password is even checked. */
class SignInRateLimited extends CredentialsSignin {
  code = "rate_limited";
}

/** Session lifetime: a coordinator's shift, not a week. */
const SESSION_MAX_AGE_S = 12 * 60 * 60;

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
        if (!(await consumeSignInAttempt(attempt)).allowed) throw new SignInRateLimited();
        const result = await verifyCredentials(credentials).catch((err: unknown) => {
          if (isDatabaseUnavailable(err)) throw new SignInUnavailable();
          throw err;
        });
        if (!result.ok) throw result.reason === "locked" ? new AccountLocked() : new InvalidCredentials();
        await clearSignInAttempts(attempt);
        return result.user;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.user = ZSessionUserSchema.parse(user);
      return token;
    },
    session({ session, token }) {
      const parsed = ZSessionUserSchema.safeParse(token.user);
      if (parsed.success) Object.assign(session, { user: { ...parsed.data } });
      return session;
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

/** The signed-in user of a request, or null. */
export async function currentUser(): Promise<TSessionUser | null> {
  const session = await auth();
  const parsed = ZSessionUserSchema.safeParse(session?.user);
  return parsed.success ? parsed.data : null;
}

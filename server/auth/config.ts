import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { type TSessionUser, ZSessionUserSchema } from "./roles";
import { verifyCredentials } from "./verify-credentials";

class InvalidCredentials extends CredentialsSignin {
  code = "invalid";
}
class AccountLocked extends CredentialsSignin {
  code = "locked";
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
      async authorize(credentials) {
        const result = await verifyCredentials(credentials);
        if (!result.ok) throw result.reason === "locked" ? new AccountLocked() : new InvalidCredentials();
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

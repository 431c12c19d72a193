"use server";

import { headers } from "next/headers";
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/server/auth/config";
import { ZCredentialsSchema } from "@/server/auth/verify-credentials";
import { clientIpFrom } from "@/server/security/client-address";
import { checkSameOrigin } from "@/server/security/origin-check";
import { checkSignInAttempt, signInLimitedMessage } from "@/server/security/rate-limit-policy";

export type TSignInState = {
  error?: string;
  fieldErrors?: Partial<Record<"email" | "password", string>>;
  email?: string;
};

/** Signs in with e-mail and password, then lands on /home, which sends each role to its page. */
export async function signInAction(_prev: TSignInState, form: FormData): Promise<TSignInState> {
  const input = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
  // Next.js already refuses a cross-origin server action; checked again here so it cannot regress.
  const requestHeaders = await headers();
  const origin = checkSameOrigin({ method: "POST", headers: requestHeaders });
  if (!origin.ok) return { error: origin.reason, email: input.email };
  const parsed = ZCredentialsSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: TSignInState["fieldErrors"] = {};
    for (const issue of parsed.error.issues)
      fieldErrors[issue.path[0] as "email" | "password"] ??= issue.message;
    return { fieldErrors, email: input.email };
  }
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: "/home" });
    return {};
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "rate_limited") {
      const gate = await checkSignInAttempt({ ip: clientIpFrom(requestHeaders), email: parsed.data.email });
      return { error: signInLimitedMessage(gate.allowed ? 60 : gate.retryAfterSeconds), email: input.email };
    }
    if (error instanceof CredentialsSignin && error.code === "unavailable") {
      return {
        error: "The portal cannot reach its database right now. Please try again in a few seconds.",
        email: input.email,
      };
    }
    if (error instanceof CredentialsSignin && error.code === "locked") {
      return {
        error: "Too many failed attempts: this account is locked for 15 minutes.",
        email: input.email,
      };
    }
    if (error instanceof AuthError) return { error: "Wrong e-mail or password.", email: input.email };
    throw error; // the redirect after a successful sign-in
  }
}

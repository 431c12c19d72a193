"use server";

import { headers } from "next/headers";
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/server/auth/config";
import { ZCredentialsSchema } from "@/server/auth/verify-credentials";
import { clientIpFrom } from "@/server/security/client-address";
import { checkSameOrigin } from "@/server/security/origin-check";
import { signInRefusal } from "@/server/security/rate-limit-policy";
import { safeReturnPath } from "./return-path";

export type TSignInState = {
  error?: string;
  fieldErrors?: Partial<Record<"email" | "password", string>>;
  email?: string;
};

/**
 * Signs in with e-mail and password, then returns to the page asked for (`next`, a same-origin
 * path only) or lands on /home, which sends each role to its page.
 */
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
    await signIn("credentials", { ...parsed.data, redirectTo: safeReturnPath(form.get("next")) ?? "/home" });
    return {};
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "rate_limited") {
      const refusal = await signInRefusal({ ip: clientIpFrom(requestHeaders), email: parsed.data.email });
      return { error: refusal.message, email: input.email };
    }
    if (error instanceof CredentialsSignin && error.code === "unavailable") {
      return {
        error: "The portal cannot reach its database right now. Please try again in a few seconds.",
        email: input.email,
      };
    }
    if (error instanceof CredentialsSignin && error.code === "locked") {
      // Said the same way for an e-mail with no account (server/auth/verify-credentials.ts).
      return {
        error: "Too many failed attempts: this account is locked for 15 minutes.",
        email: input.email,
      };
    }
    if (error instanceof CredentialsSignin && error.code === "deactivated") {
      return {
        error: "This account has been deactivated. Ask your organisation's administrator.",
        email: input.email,
      };
    }
    if (error instanceof AuthError) return { error: "Wrong e-mail or password.", email: input.email };
    throw error; // the redirect after a successful sign-in
  }
}

"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/server/auth/config";
import { ZCredentialsSchema } from "@/server/auth/verify-credentials";

export type TSignInState = {
  error?: string;
  fieldErrors?: Partial<Record<"email" | "password", string>>;
  email?: string;
};

/** Signs in with e-mail and password, then lands on /home, which sends each role to its page. */
export async function signInAction(_prev: TSignInState, form: FormData): Promise<TSignInState> {
  const input = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
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

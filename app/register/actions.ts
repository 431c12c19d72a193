"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { registerDonor, ZDonorSignUpSchema } from "@/server/consent/register-donor";
import { isAppError } from "@/server/errors";
import { clientIpFrom } from "@/server/security/client-address";
import { checkSameOrigin } from "@/server/security/origin-check";
import { limitRegistration } from "@/server/security/rate-limit-policy";

export type TRegisterState = {
  error?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
};

/**
 * Donor sign-up: validates with the same schema as the API, registers, and sends every sign-up to
 * the sign-in page with the same notice (`REGISTRATION_RECEIVED`), new or not, so the form reveals
 * nothing about who is registered. Counted per address like the API (it works without JavaScript).
 */
export async function registerAction(_prev: TRegisterState, form: FormData): Promise<TRegisterState> {
  const text = (name: string) => String(form.get(name) ?? "");
  const requestHeaders = await headers();
  const origin = checkSameOrigin({ method: "POST", headers: requestHeaders });
  if (!origin.ok) return { error: origin.reason };
  try {
    await limitRegistration({ ip: clientIpFrom(requestHeaders) });
  } catch (err) {
    if (isAppError(err)) return { error: err.message };
    throw err;
  }
  const values = {
    fullName: text("fullName"),
    dateOfBirth: text("dateOfBirth"),
    scheme: text("scheme"),
    identifier: text("identifier"),
    email: text("email"),
    phone: text("phone"),
  };
  const parsed = ZDonorSignUpSchema.safeParse({
    fullName: values.fullName,
    dateOfBirth: values.dateOfBirth,
    identifier: { scheme: values.scheme, value: values.identifier },
    email: values.email,
    phone: values.phone,
    password: text("password"),
  });
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path.join(".")] ??= issue.message;
    return { error: "Please correct the fields marked below.", fieldErrors, values };
  }
  try {
    await registerDonor({ input: parsed.data });
  } catch (err) {
    if (isAppError(err)) return { error: err.message, fieldErrors: err.fieldErrors, values };
    throw err;
  }
  redirect("/sign-in?registered=1");
}

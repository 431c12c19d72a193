"use server";

import { signIn } from "@/server/auth/config";
import { registerDonor, ZDonorSignUpSchema } from "@/server/consent/register-donor";
import { isAppError } from "@/server/errors";

export type TRegisterState = {
  error?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
};

/** Donor sign-up: validates with the same schema as the API, registers, signs in, lands on /donor. */
export async function registerAction(_prev: TRegisterState, form: FormData): Promise<TRegisterState> {
  const text = (name: string) => String(form.get(name) ?? "");
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
  await signIn("credentials", {
    email: parsed.data.email,
    password: parsed.data.password,
    redirectTo: "/donor",
  });
  return {};
}

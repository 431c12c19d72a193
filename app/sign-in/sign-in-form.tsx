"use client";

import { useActionState } from "react";
import { Button, Field } from "@/app/_components/ui";
import { signInAction, type TSignInState } from "./actions";

export function SignInForm({ next }: { next?: string | null }) {
  const [state, action, pending] = useActionState<TSignInState, FormData>(signInAction, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      {state.error ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
      <Field
        label="E-mail"
        id="email"
        name="email"
        type="email"
        autoComplete="username"
        required
        defaultValue={state.email}
        error={state.fieldErrors?.email}
      />
      <Field
        label="Password"
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={state.fieldErrors?.password}
      />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}

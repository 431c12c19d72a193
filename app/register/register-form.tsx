"use client";

import { useActionState } from "react";
import { Button, Field } from "@/app/_components/ui";
import { IDENTIFIER_SCHEME_LABELS, IDENTIFIER_SCHEMES } from "@/server/consent/identifiers";
import { registerAction, type TRegisterState } from "./actions";

export function RegisterForm() {
  const [state, action, pending] = useActionState<TRegisterState, FormData>(registerAction, {});
  const err = state.fieldErrors ?? {};
  const v = state.values ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
      <Field
        label="Full name"
        id="fullName"
        name="fullName"
        autoComplete="name"
        required
        defaultValue={v.fullName}
        error={err.fullName}
      />
      <Field
        label="Date of birth"
        id="dateOfBirth"
        name="dateOfBirth"
        type="date"
        required
        defaultValue={v.dateOfBirth}
        error={err.dateOfBirth}
      />
      <div className="space-y-1">
        <label htmlFor="scheme" className="block text-sm font-medium text-slate-800">
          Identifier type
        </label>
        <select
          id="scheme"
          name="scheme"
          defaultValue={v.scheme || "UK_NHS"}
          className="block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm"
        >
          {IDENTIFIER_SCHEMES.map((s) => (
            <option key={s} value={s}>
              {IDENTIFIER_SCHEME_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <Field
        label="National or health identifier"
        id="identifier"
        name="identifier"
        required
        defaultValue={v.identifier}
        error={err["identifier.value"] ?? err["identifier.scheme"]}
        hint="Stored encrypted; used with your date of birth so staff can find your decision."
      />
      <Field
        label="E-mail (to sign in)"
        id="email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={v.email}
        error={err.email}
      />
      <Field
        label="Phone (optional)"
        id="phone"
        name="phone"
        type="tel"
        autoComplete="tel"
        defaultValue={v.phone}
        error={err.phone}
        hint="International form, e.g. +44 20 7946 0958"
      />
      <Field
        label="Password"
        id="password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        error={err.password}
        hint="At least 12 characters."
      />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Registering…" : "Register"}
      </Button>
    </form>
  );
}

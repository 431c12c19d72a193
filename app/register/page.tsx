import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/app/_components/ui";
import { RegisterForm } from "./register-form";

export const metadata: Metadata = { title: "Register as a donor" };

export default function RegisterPage() {
  return (
    <main id="main" className="mx-auto max-w-lg px-6 py-12">
      <h1 className="mb-2 text-2xl font-bold">Register your decision about organ donation</h1>
      <p className="mb-6 text-slate-700">
        Your identity is encrypted; only a fingerprint of your decision ever goes on the public ledger. You
        can change, revoke or delete your registration at any time.
      </p>
      <Card>
        <RegisterForm />
      </Card>
      <p className="mt-6 text-sm text-slate-700">
        Already registered?{" "}
        <Link href="/sign-in" className="text-brand-700 underline">
          Sign in
        </Link>
        {" · "}
        <Link href="/verify" className="text-brand-700 underline">
          Verify a receipt
        </Link>
      </p>
    </main>
  );
}

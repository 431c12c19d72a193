import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/app/_components/ui";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <main id="main" className="mx-auto max-w-md px-6 py-16">
      <h1 className="mb-6 text-2xl font-bold">Sign in</h1>
      <Card>
        <SignInForm />
      </Card>
      <p className="mt-6 text-sm text-slate-700">
        <Link href="/" className="text-brand-700 underline">
          Back to the portal
        </Link>
      </p>
    </main>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/app/_components/ui";
import { REGISTRATION_RECEIVED } from "@/server/consent/registration-notice";
import { safeReturnPath } from "./return-path";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

/** Sign-in; `?next=` (a path on this portal only) is where it returns to afterwards. */
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ registered?: string | string[]; next?: string | string[] }>;
}) {
  const { registered, next: asked } = await searchParams;
  const next = safeReturnPath(asked);
  return (
    <main id="main" className="mx-auto max-w-md px-6 py-16">
      <h1 className="mb-6 text-2xl font-bold">Sign in</h1>
      {registered === "1" ? (
        <p
          role="status"
          className="mb-4 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900"
        >
          {REGISTRATION_RECEIVED}
        </p>
      ) : null}
      <Card>
        <SignInForm next={next} />
      </Card>
      <p className="mt-6 text-sm text-slate-700">
        <Link href="/" className="text-brand-700 underline">
          Back to the portal
        </Link>
      </p>
    </main>
  );
}

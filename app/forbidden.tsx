import Link from "next/link";

export default function Forbidden() {
  return (
    <main id="main" className="mx-auto max-w-xl px-6 py-16">
      <h1 className="text-2xl font-bold">Not for your role</h1>
      <p className="mt-3 text-slate-700">
        This page belongs to another role. Your own workspace is one click away.
      </p>
      <Link href="/home" className="mt-6 inline-block text-brand-700 underline">
        Go to your workspace
      </Link>
    </main>
  );
}

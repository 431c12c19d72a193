import Link from "next/link";

/** Shown inside the portal layout, whose <main> already holds it: a <div> here, not a second <main>. */
export default function Forbidden() {
  return (
    <div className="mx-auto max-w-xl py-10">
      <h1 className="text-2xl font-bold">Not for your role</h1>
      <p className="mt-3 text-slate-700">
        This page belongs to another role. Your own workspace is one click away.
      </p>
      <Link href="/home" className="mt-6 inline-block text-brand-700 underline">
        Go to your workspace
      </Link>
    </div>
  );
}

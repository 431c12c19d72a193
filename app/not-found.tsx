import Link from "next/link";

export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-xl px-6 py-16">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <Link href="/" className="mt-6 inline-block text-brand-700 underline">
        Back to the portal
      </Link>
    </main>
  );
}

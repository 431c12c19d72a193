import Link from "next/link";
import { currentUser } from "@/server/auth/config";
import { ROLE_HOME } from "@/server/auth/roles";

export const dynamic = "force-dynamic";

const PROMISES = [
  [
    "Donors",
    "Register, record or change your decision to donate, revoke it, and get a receipt anyone can verify.",
  ],
  [
    "Coordinators",
    "Open donor cases, run matches, send offers against deadlines and follow every organ live, with its cold-ischemia clock.",
  ],
  [
    "Regulators",
    "Audit provenance: every step is a hash-chained event whose Merkle root is anchored on an Ethereum-compatible chain.",
  ],
] as const;

export default async function LandingPage() {
  const user = await currentUser();
  return (
    <main id="main" className="mx-auto max-w-4xl px-6 py-16">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">
        Transplant Provenance Portal
      </p>
      <h1 className="mt-2 text-4xl font-bold text-slate-900">Every donated organ, accounted for.</h1>
      <p className="mt-4 max-w-2xl text-lg text-slate-700">
        One record of consent, allocation and chain of custody that hospitals, procurement organisations and
        regulators can trust, and that anyone can verify against the chain without trusting this portal. No
        personal health information ever goes on chain: only hashes and Merkle roots.
      </p>
      <div className="mt-8 flex gap-4">
        {user ? (
          <Link
            href={ROLE_HOME[user.role]}
            className="rounded-md bg-brand-700 px-5 py-3 font-medium text-white hover:bg-brand-900"
          >
            Go to your workspace
          </Link>
        ) : (
          <Link
            href="/sign-in"
            className="rounded-md bg-brand-700 px-5 py-3 font-medium text-white hover:bg-brand-900"
          >
            Sign in
          </Link>
        )}
        {user ? null : (
          <Link
            href="/register"
            className="rounded-md border border-brand-700 px-5 py-3 font-medium text-brand-700 hover:bg-brand-50"
          >
            Register as a donor
          </Link>
        )}
        <Link
          href="/verify"
          className="rounded-md border border-brand-700 px-5 py-3 font-medium text-brand-700 hover:bg-brand-50"
        >
          Verify a receipt
        </Link>
      </div>
      <ul className="mt-12 grid gap-4 sm:grid-cols-3">
        {PROMISES.map(([who, what]) => (
          <li key={who} className="rounded-lg border border-slate-200 bg-white p-5">
            <h2 className="font-semibold text-slate-900">{who}</h2>
            <p className="mt-2 text-sm text-slate-700">{what}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}

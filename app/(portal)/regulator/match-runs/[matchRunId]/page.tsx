import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "../../../require-role";
import { MatchRunReplay } from "./match-run-replay";

export const metadata: Metadata = { title: "Match run" };

/** Regulators: a recorded match run as the portal acted on it, and its replay from the anchored snapshot. */
export default async function MatchRunPage({ params }: { params: Promise<{ matchRunId: string }> }) {
  await requireRole("REGULATOR", "ADMIN");
  const { matchRunId } = await params;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/regulator/allocations" className="text-brand-700 underline">
          Allocation oversight
        </Link>
      </p>
      <h1 className="text-2xl font-bold text-slate-900">Match run</h1>
      <MatchRunReplay matchRunId={matchRunId} />
    </div>
  );
}

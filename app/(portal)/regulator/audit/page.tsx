import type { Metadata } from "next";
import { requireRole } from "../../require-role";
import { LedgerAuditPanel } from "./ledger-audit-panel";

export const metadata: Metadata = { title: "Whole-ledger audit" };
export const dynamic = "force-dynamic";

/** Regulators: every ledger event checked against the chain, in the background, with each break named. */
export default async function LedgerAuditPage() {
  await requireRole("REGULATOR", "ADMIN");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">Whole-ledger audit</h1>
      <p className="max-w-3xl text-slate-700">
        Recomputes the hash of every event in the ledger, checks that each subject's events follow one another
        without a gap or a broken link, and rebuilds every anchored batch's Merkle root to compare it with the
        root held on chain (one chain read per batch). Any break is named with the event, the subject, its
        sequence number and the batch.
      </p>
      <LedgerAuditPanel />
    </div>
  );
}

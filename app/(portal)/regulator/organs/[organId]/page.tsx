import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { Card } from "@/app/_components/ui";
import { chainClient } from "@/server/chain/client";
import { isAppError } from "@/server/errors";
import { getOrganProvenance, type TProvenanceStep } from "@/server/regulator/organ-provenance";
import { requireRole } from "../../../require-role";

export const metadata: Metadata = { title: "Organ provenance timeline" };
export const dynamic = "force-dynamic";

const STAGE_LABEL: Record<TProvenanceStep["stage"], string> = {
  consent: "Consent",
  "donor-case": "Donor case",
  "match-run": "Match run",
  offer: "Offer",
  custody: "Custody",
  outcome: "Outcome",
  other: "Other",
};

function Mark({ ok, label }: { ok: boolean | null; label: string }) {
  const text = ok === null ? "pending" : ok ? "pass" : "FAIL";
  const colour =
    ok === null
      ? "bg-slate-200 text-slate-800"
      : ok
        ? "bg-green-100 text-green-900"
        : "bg-red-100 text-red-900";
  return (
    <span
      className={`rounded px-2 py-0.5 text-xs font-semibold ${colour}`}
      data-check={label}
      data-result={text}
    >
      {label}: {text}
    </span>
  );
}

/** A regulator's view of one organ: every step from consent to outcome, each verified against the chain. */
export default async function OrganProvenancePage({ params }: { params: Promise<{ organId: string }> }) {
  await requireRole("REGULATOR", "ADMIN");
  const { organId } = await params;
  if (!z.uuid().safeParse(organId).success) notFound();
  let registry = null;
  try {
    registry = chainClient().registry;
  } catch {
    registry = null;
  }
  const started = performance.now();
  const provenance = await getOrganProvenance({ organId, registry }).catch((err) => {
    if (isAppError(err) && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const serverMs = Math.round(performance.now() - started);
  const { organ, steps } = provenance;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold text-slate-900">
            Provenance of {organ.type.toLowerCase()} <span className="font-mono">{organ.din}</span>
          </h1>
          <p className="text-slate-700">
            Donor case {organ.donorCaseCode} · status {organ.status.toLowerCase().replace(/_/g, " ")} ·{" "}
            {steps.length} steps · checked in {serverMs} ms
          </p>
        </div>
        <a
          href={`/api/ledger/bundle?organId=${organ.id}`}
          className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-900"
        >
          Download audit bundle
        </a>
        <a href={`/api/regulator/fhir/organ/${organ.id}`} className="text-sm text-brand-700 underline">
          FHIR export
        </a>
      </div>
      <p
        role="status"
        data-testid="provenance-verdict"
        className={`rounded-md p-3 font-medium ${provenance.verified ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}
      >
        {provenance.verified
          ? `Every step verified: hashes intact, chains unbroken${provenance.chainChecked ? ", anchored roots match the chain" : " (chain not reachable: on-chain checks pending)"}.`
          : `${provenance.findings.length} problem(s) found: ${provenance.findings.map((f) => f.message).join("; ")}`}
      </p>
      <Card title="Timeline">
        <ol className="space-y-4" data-testid="provenance-timeline">
          {steps.map((s) => (
            <li
              key={s.eventId}
              className="border-l-4 border-brand-600 pl-4"
              data-testid="provenance-step"
              data-stage={s.stage}
            >
              <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">
                {STAGE_LABEL[s.stage]} · {s.at.toISOString().replace("T", " ").slice(0, 19)} UTC ·{" "}
                {s.actorRole ?? "system"}
              </p>
              <p className="font-medium text-slate-900">{s.title}</p>
              <div className="mt-1 flex flex-wrap gap-2">
                <Mark ok={s.checks.hash} label="hash" />
                <Mark ok={s.checks.chainLink} label="chain" />
                <Mark ok={s.checks.anchored ? true : null} label="anchored" />
                <Mark ok={s.checks.onChain} label="on-chain" />
              </div>
              <p className="mt-1 text-xs text-slate-600">
                {s.checks.anchored
                  ? `Batch ${s.checks.anchored.batch}, block ${s.checks.anchored.blockNumber ?? "?"}${s.checks.anchored.confirmations !== null ? `, ${s.checks.anchored.confirmations} confirmations` : ""}, tx ${s.checks.anchored.txHash ?? "?"}`
                  : "Waiting for the next anchoring batch."}{" "}
                <Link href={`/proof/${s.eventId}`} className="text-brand-700 underline">
                  proof
                </Link>
                {s.stage === "consent" && s.subject.startsWith("donor:") ? (
                  <>
                    {" · "}
                    <Link
                      href={`/regulator/registrants/${s.subject.slice(6)}`}
                      className="text-brand-700 underline"
                    >
                      registrant history
                    </Link>
                  </>
                ) : null}
              </p>
              {s.findings.length > 0 ? (
                <ul className="mt-1 text-sm text-red-800">
                  {s.findings.map((f) => (
                    <li key={f}>{f}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}

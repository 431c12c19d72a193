import type { Metadata } from "next";
import Link from "next/link";
import { PassFailMark } from "@/app/_components/pass-fail-mark";
import { Card } from "@/app/_components/ui";
import { pageData, serverCaller } from "@/app/_trpc/server-caller";
import { ROLE_LABEL, type TRole } from "@/server/auth/roles";
import { formatDateTime } from "@/server/format/format";
import { describeSignature } from "@/server/passkey/signature-views";
import type { TProvenanceStep } from "@/server/regulator/organ-provenance";
import { VerifyYourself } from "../../verify-yourself";

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

/** A regulator's view of one organ: every step from consent to outcome, each verified against the chain. */
export default async function OrganProvenancePage({ params }: { params: Promise<{ organId: string }> }) {
  const { organId } = await params;
  const started = performance.now();
  const caller = await serverCaller();
  const provenance = await pageData(caller.provenance.organTimeline({ organId }));
  const { timeZone } = await pageData(caller.preferences.get());
  const serverMs = Math.round(performance.now() - started);
  const chain = await pageData(caller.ledger.chainIdentity());
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
        <Link href={`/organs/${organ.id}`} className="text-sm text-brand-700 underline">
          Custody journey
        </Link>
      </div>
      <p
        role="status"
        data-testid="provenance-verdict"
        className={`rounded-md p-3 font-medium ${provenance.verified ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}
      >
        {provenance.verified
          ? `Every step verified: hashes intact, chains unbroken${provenance.chainChecked ? `, anchored roots match the chain (chain last read ${provenance.chainReadAt ? formatDateTime(provenance.chainReadAt, timeZone, { seconds: true }) : "now"})` : " (chain not reachable: on-chain checks pending)"}.`
          : `${provenance.findings.length} problem(s) found: ${provenance.findings.map((f) => f.message).join("; ")}`}
      </p>
      {provenance.excursionCount > 0 ? (
        <p
          role="alert"
          data-testid="excursion-summary"
          className="rounded-md bg-red-50 p-3 font-medium text-red-900"
        >
          {provenance.excursionCount} custody step{provenance.excursionCount > 1 ? "s" : ""} recorded an
          excursion outside the policy's range: see the steps flagged below.
        </p>
      ) : null}
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
                {STAGE_LABEL[s.stage]} · {formatDateTime(s.at, timeZone, { seconds: true })} ·{" "}
                <span data-testid="step-actor">
                  {s.actorName ??
                    (s.actorRole ? (ROLE_LABEL[s.actorRole as TRole] ?? s.actorRole) : "the portal")}
                  {s.actorOrgName ? `, ${s.actorOrgName}` : ""}
                </span>
              </p>
              <p className="font-medium text-slate-900">{s.title}</p>
              {s.signature ? (
                <p
                  className={`mt-1 text-sm ${s.signature.status === "SIGNED" && s.signature.valid !== false ? "text-green-900" : "text-amber-900"}`}
                  data-testid="step-signature"
                  data-status={s.signature.status}
                >
                  {describeSignature(s.signature)}
                </p>
              ) : null}
              {s.facts.length > 0 ? (
                <dl
                  className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-800"
                  data-testid="step-facts"
                >
                  {s.facts.map((f) => (
                    <div key={f.label} className="flex gap-1">
                      <dt className="text-slate-600">{f.label}:</dt>
                      <dd>{f.value}</dd>
                    </div>
                  ))}
                </dl>
              ) : null}
              {s.excursions.map((m) => (
                <p
                  key={m}
                  className="mt-1 rounded bg-red-100 px-2 py-1 text-sm font-medium text-red-900"
                  data-testid="excursion-flag"
                >
                  {m}
                </p>
              ))}
              <div className="mt-1 flex flex-wrap gap-2">
                <PassFailMark ok={s.checks.hash} size="xs" data-check="hash">
                  hash:{" "}
                </PassFailMark>
                <PassFailMark ok={s.checks.chainLink} size="xs" data-check="chain">
                  chain:{" "}
                </PassFailMark>
                <PassFailMark ok={s.checks.portalSignature} size="xs" data-check="portal-signature">
                  portal signature:{" "}
                </PassFailMark>
                <PassFailMark ok={s.checks.anchored ? true : null} size="xs" data-check="anchored">
                  anchored:{" "}
                </PassFailMark>
                <PassFailMark ok={s.checks.onChain} size="xs" data-check="on-chain">
                  on-chain:{" "}
                </PassFailMark>
                {s.facts.some((f) => f.label === "Temperature") || s.excursions.length ? (
                  <span
                    className={`rounded px-2 py-0.5 text-xs font-semibold ${s.excursions.length ? "bg-red-100 text-red-900" : "bg-green-100 text-green-900"}`}
                    data-check="temperature"
                    data-result={s.excursions.length ? "EXCURSION" : "within range"}
                  >
                    temperature: {s.excursions.length ? "EXCURSION" : "within range"}
                  </span>
                ) : null}
              </div>
              <p className="mt-1 text-xs text-slate-600">
                {s.checks.anchored
                  ? `Batch ${s.checks.anchored.batch}, block ${s.checks.anchored.blockNumber ?? "?"}${s.checks.anchored.confirmations !== null ? `, ${s.checks.anchored.confirmations} confirmations` : ""}, tx ${s.checks.anchored.txHash ?? "?"}`
                  : "Waiting for the next anchoring batch."}{" "}
                <Link href={`/proof/${s.eventId}`} className="text-brand-700 underline">
                  proof
                </Link>
                {s.stage === "match-run" && s.subject.startsWith("match_run:") ? (
                  <>
                    {" · "}
                    <Link
                      href={`/regulator/match-runs/${s.subject.slice("match_run:".length)}`}
                      className="text-brand-700 underline"
                    >
                      replay the match run
                    </Link>
                  </>
                ) : null}
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
      <VerifyYourself chain={chain} bundleFile={`audit-bundle-organ-${organ.id}.json`} />
    </div>
  );
}

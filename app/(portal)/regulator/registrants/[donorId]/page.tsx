import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/app/_components/ui";
import { pageData, serverCaller } from "@/app/_trpc/server-caller";
import { formatDateTime } from "@/server/format/format";
import { describeSignature } from "@/server/passkey/signature-views";

export const metadata: Metadata = { title: "Registrant history" };
export const dynamic = "force-dynamic";

/** Regulators: a registrant's consent history and access log, with no identity and no decision content. */
export default async function RegistrantHistoryPage({ params }: { params: Promise<{ donorId: string }> }) {
  const { donorId } = await params;
  const caller = await serverCaller();
  const history = await pageData(caller.consent.registrantHistory({ donorId }));
  const { timeZone } = await pageData(caller.preferences.get());
  const when = (d: Date) => formatDateTime(d, timeZone);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">Registrant {history.donorId.slice(0, 8)}</h1>
      <p className="text-slate-700">
        Registered {when(history.registeredAt)}
        {history.hasAccount ? " (own account)" : " (recorded by staff)"}
        {history.erasedAt ? ` · erased ${when(history.erasedAt)}: only commitments remain` : ""}. Identity and
        decision content are not shown here; exporting a version as FHIR records your reason.
      </p>
      <Card title="Consent versions">
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b">
              <th className="py-2">Version</th>
              <th>Kind</th>
              <th>Status</th>
              <th>Recorded</th>
              <th>Anchored</th>
              <th>Signed</th>
              <th>Proof</th>
            </tr>
          </thead>
          <tbody>
            {history.versions.map((v) => (
              <tr key={v.consentVersionId} className="border-b">
                <td className="py-2">{v.version}</td>
                <td>{v.kind === "FIRST_PERSON" ? "first person" : "family authorisation"}</td>
                <td>
                  {v.status.toLowerCase().replace("_", " ")}
                  {v.revokedAt ? ` ${when(v.revokedAt)}` : ""}
                </td>
                <td>{when(v.recordedAt)}</td>
                <td>{v.anchored ? "yes" : "pending"}</td>
                <td className="space-y-1">
                  {[v.signature, v.revocationSignature].map((sig, i) =>
                    sig ? (
                      <p
                        key={i === 0 ? "decision" : "revocation"}
                        data-testid="step-signature"
                        data-status={sig.status}
                      >
                        {describeSignature(sig)}
                      </p>
                    ) : null,
                  )}
                </td>
                <td className="space-x-2">
                  <Link href={`/proof/${v.ledgerEventId}`} className="text-brand-700 underline">
                    recorded
                  </Link>
                  {v.revocationEventId ? (
                    <Link href={`/proof/${v.revocationEventId}`} className="text-brand-700 underline">
                      revoked
                    </Link>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Staff access to this record">
        {history.access.length === 0 ? (
          <p>No staff access recorded.</p>
        ) : (
          <ul className="divide-y text-sm">
            {history.access.map((a) => (
              <li key={a.eventId} className="py-2">
                {when(a.at)}: {a.staffName ?? "staff"} ({a.organisation ?? a.actorRole}) —{" "}
                {a.reasonCode ?? ""} {a.reason}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { requestOrigin } from "@/app/_components/request-origin";
import { pageData, serverCaller } from "@/app/_trpc/server-caller";
import { PrintButton } from "@/app/(portal)/organs/[organId]/label/print-button";
import { describeDecision } from "@/server/consent/describe-decision";
import { formatReceiptCode } from "@/server/consent/receipt-code";
import { qrSvg } from "@/server/consent/receipt-document";
import { formatDateTime } from "@/server/format/format";

export const metadata: Metadata = { title: "Consent receipt" };

/** A printable receipt for one version of the donor's own decision, with a QR code to verify it. */
export default async function ReceiptPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const caller = await serverCaller();
  const receipt = await pageData(caller.consent.myReceipt({ code }));
  const preferences = await pageData(caller.preferences.get());
  const verifyUrl = `${await requestOrigin()}/verify/${receipt.receiptCode}`;
  const qr = `data:image/svg+xml;base64,${Buffer.from(qrSvg(verifyUrl)).toString("base64")}`;
  return (
    <article className="mx-auto max-w-2xl space-y-4 rounded-lg border border-slate-300 bg-white p-8">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Organ donation decision: receipt</h1>
          <p className="mt-1 text-lg font-semibold" data-testid="receipt-code">
            {formatReceiptCode(receipt.receiptCode)}
          </p>
          <p className="text-sm text-slate-700">
            Version {receipt.version}, recorded {formatDateTime(receipt.recordedAt, preferences.timeZone)}
            {receipt.revokedAt ? ` · revoked ${formatDateTime(receipt.revokedAt, preferences.timeZone)}` : ""}
          </p>
        </div>
        {/* biome-ignore lint/performance/noImgElement: a server-drawn data URL, nothing to optimise */}
        <img src={qr} alt={`QR code linking to ${verifyUrl}`} width={140} height={140} />
      </div>
      <div className="space-y-1" data-testid="receipt-decision">
        {describeDecision(receipt.decision).map((line) => (
          <p key={line}>{line}</p>
        ))}
      </div>
      <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1 text-sm">
        <dt>Commitment</dt>
        <dd>
          <code className="break-all text-xs">{receipt.commitment}</code>
        </dd>
        <dt>Ledger event</dt>
        <dd>
          <code className="break-all text-xs">{receipt.ledgerEventId}</code>
        </dd>
        <dt>Verify at</dt>
        <dd>
          <Link href={`/verify/${receipt.receiptCode}`} className="break-all text-brand-700 underline">
            {verifyUrl}
          </Link>
        </dd>
      </dl>
      {receipt.revokedAt ? (
        <section
          id="revocation"
          aria-labelledby="revocation-title"
          className="rounded-md border border-amber-300 bg-amber-50 p-4"
          data-testid="revocation-receipt"
        >
          <h2 id="revocation-title" className="text-lg font-semibold">
            Receipt of revocation
          </h2>
          <p className="text-sm">
            You revoked version {receipt.version} on {formatDateTime(receipt.revokedAt, preferences.timeZone)}
            . From then on it no longer authorises donation; it stays in your history, marked revoked.
          </p>
          {receipt.revocationEventId ? (
            <dl className="mt-2 grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1 text-sm">
              <dt>Revocation event</dt>
              <dd>
                <Link
                  href={`/proof/${receipt.revocationEventId}`}
                  className="break-all text-brand-700 underline"
                >
                  <code className="text-xs">{receipt.revocationEventId}</code>
                </Link>
              </dd>
            </dl>
          ) : null}
          <p className="mt-2 text-xs text-slate-600">
            The revocation is a ledger event of its own, anchored on the public chain like the version it
            revokes; its proof page shows the anchoring.
          </p>
        </section>
      ) : null}
      <p className="text-xs text-slate-600">
        Anyone with this code can check that this version exists, when it was recorded and that it is anchored
        on the public chain; only you, signed in, can see the decision itself.
      </p>
      <div className="flex gap-3 print:hidden">
        <PrintButton label="Print receipt" />
        <a
          href={`/api/consent/receipt/${receipt.receiptCode}`}
          className="rounded-md border border-brand-700 px-4 py-2 text-sm font-medium text-brand-700"
        >
          Download PDF
        </a>
      </div>
    </article>
  );
}

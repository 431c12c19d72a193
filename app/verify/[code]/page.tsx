import type { Metadata } from "next";
import Link from "next/link";
import { CheckRow } from "@/app/_components/pass-fail-mark";
import { Card } from "@/app/_components/ui";
import { pageData, serverCaller } from "@/app/_trpc/server-caller";
import { describeDecision } from "@/server/consent/describe-decision";
import { formatReceiptCode } from "@/server/consent/receipt-code";
import type { TReceiptVerification } from "@/server/consent/verify-receipt";

export const metadata: Metadata = { title: "Receipt verification" };
export const dynamic = "force-dynamic";

const STATUS_TEXT: Record<TReceiptVerification["status"], string> = {
  IN_FORCE: "In force",
  SUPERSEDED: "Superseded by a later version",
  REVOKED: "Revoked",
  ERASED: "Erased at the registrant's request (the proof remains, the content is gone)",
};

/** Public: what a receipt proves, checked against the ledger and the chain; the content only for its owner. */
export default async function VerifyReceiptPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const result = await pageData((await serverCaller()).consent.verifyReceipt({ code }));
  const a = result.proof.anchor;
  const onChain =
    a.status !== "NOT_YET_BATCHED" && a.onChain && "proofVerified" in a.onChain ? a.onChain : null;
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-6 py-10">
      <h1 className="text-2xl font-bold">Receipt {formatReceiptCode(result.receiptCode)}</h1>
      <p className="text-slate-700">
        Consent version {result.version} (
        {result.kind === "FIRST_PERSON" ? "the person's own decision" : "family authorisation"}), recorded{" "}
        {result.recordedAt.toUTCString()}. Status:{" "}
        <strong data-testid="receipt-status">{STATUS_TEXT[result.status]}</strong>
        {result.revokedAt ? ` on ${result.revokedAt.toUTCString()}` : ""}.
      </p>
      <Card title="Checks">
        <ul className="divide-y divide-slate-100">
          <CheckRow ok={result.commitmentOnLedger} label="commitment on ledger" />
          <CheckRow ok={result.proof.hashValid} label="event hash" />
          <CheckRow ok={a.status === "NOT_YET_BATCHED" ? null : a.status === "CONFIRMED"} label="anchored" />
          <CheckRow
            ok={onChain ? onChain.rootMatches && onChain.proofVerified : null}
            label="on-chain proof"
          />
          {result.content ? (
            <CheckRow ok={result.content.commitmentMatches} label="your decision matches" />
          ) : null}
        </ul>
        <p className="mt-3 text-sm text-slate-700">
          The ledger event and its Merkle proof:{" "}
          <Link href={`/proof/${result.proof.event.id}`} className="text-brand-700 underline">
            full proof
          </Link>
          {a.status !== "NOT_YET_BATCHED" && a.txHash ? (
            <>
              {" "}
              · anchored in batch {a.batch}, transaction <code className="break-all text-xs">{a.txHash}</code>
            </>
          ) : (
            " · waiting for the next anchoring batch"
          )}
        </p>
      </Card>
      <Card title="Commitment">
        <code className="break-all text-xs" data-testid="commitment">
          {result.commitment}
        </code>
        <p className="mt-2 text-sm text-slate-700">
          A salted hash of the decision: it proves what was recorded without revealing it.
        </p>
      </Card>
      {result.content ? (
        <Card title="Your decision (only you can see this)">
          <div data-testid="verified-decision">
            {describeDecision(result.content.decision).map((line) => (
              <p key={line}>{line}</p>
            ))}
          </div>
        </Card>
      ) : null}
    </main>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { CheckRow } from "@/app/_components/pass-fail-mark";
import { Card } from "@/app/_components/ui";
import { pageData, serverCaller } from "@/app/_trpc/server-caller";

export const metadata: Metadata = { title: "Event proof" };

const Mono = ({ children }: { children: React.ReactNode }) => (
  <code className="break-all font-mono text-xs">{children}</code>
);

/** Public page: one event's hash, chain link, Merkle proof, batch and on-chain check. */
export default async function ProofPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  const proof = await pageData((await serverCaller()).ledger.getEventProof({ eventId }));
  const a = proof.anchor;
  const onChain =
    a.status !== "NOT_YET_BATCHED" && a.onChain && "proofVerified" in a.onChain ? a.onChain : null;
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-6 py-10">
      <h1 className="text-2xl font-bold">Ledger event proof</h1>
      <p className="text-slate-700">
        Event <Mono>{proof.event.id}</Mono>: {proof.event.type}, #{proof.event.sequence} of{" "}
        {proof.event.subjectType} <Mono>{proof.event.subjectId}</Mono>, recorded{" "}
        {new Date(proof.event.serverTime).toUTCString()}.
      </p>
      <Card title="Checks">
        <ul className="divide-y divide-slate-100">
          <CheckRow pendingText="not checked" ok={proof.hashValid} label="hash" />
          <CheckRow
            pendingText="not checked"
            ok={proof.previous ? proof.previous.linkValid : proof.event.sequence === 1}
            label="chain link"
          />
          <CheckRow
            pendingText="not checked"
            ok={a.status === "NOT_YET_BATCHED" ? null : a.status === "CONFIRMED"}
            label="anchored"
          />
          <CheckRow
            pendingText="not checked"
            ok={onChain ? onChain.rootMatches && onChain.proofVerified : null}
            label="on-chain proof"
          />
        </ul>
      </Card>
      <Card title="Details">
        <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 text-sm">
          <dt>Event hash</dt>
          <dd>
            <Mono>{proof.event.hash}</Mono>
          </dd>
          <dt>Previous hash</dt>
          <dd>
            <Mono>{proof.event.prevHash ?? "— (first event)"}</Mono>
          </dd>
          {a.status === "NOT_YET_BATCHED" ? (
            <>
              <dt>Anchoring</dt>
              <dd>Accepted; it will be in the next batch.</dd>
            </>
          ) : (
            <>
              <dt>Batch</dt>
              <dd>
                #{a.batch} ({a.status.toLowerCase()}), leaf {a.leafIndex}
              </dd>
              <dt>Batch root</dt>
              <dd>
                <Mono>{a.root}</Mono>
              </dd>
              <dt>Merkle proof</dt>
              <dd>
                {a.proof.length
                  ? a.proof.map((p) => (
                      <div key={p}>
                        <Mono>{p}</Mono>
                      </div>
                    ))
                  : "— (only event in its batch)"}
              </dd>
              <dt>Transaction</dt>
              <dd>
                <Mono>{a.txHash ?? "—"}</Mono>
                {a.blockNumber ? ` in block ${a.blockNumber}` : ""}
                {`, ${a.confirmations ?? 0} of ${a.confirmationsRequired} required confirmations`}
              </dd>
              <dt>Contract</dt>
              <dd>
                <Mono>{a.contract ?? "—"}</Mono>
                {a.chainId ? ` on chain ${a.chainId}` : ""}
              </dd>
            </>
          )}
        </dl>
      </Card>
      <p className="text-sm text-slate-700">
        Check it yourself: the contract's <Mono>verify(batch, leaf, proof)</Mono> returns true for this
        event&apos;s leaf {a.status !== "NOT_YET_BATCHED" ? <Mono>{a.leaf}</Mono> : null}.{" "}
        <Link className="text-brand-700 underline" href="/">
          Back to the portal
        </Link>
      </p>
    </main>
  );
}

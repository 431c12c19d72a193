import { Card } from "@/app/_components/ui";
import type { TChainIdentity } from "@/server/chain/chain-identity";

/**
 * How to check a downloaded bundle without trusting this portal: the exact command, and the chain
 * facts to check it against (compare them with what your own node and the contract's deployer say).
 */
export function VerifyYourself({ chain, bundleFile }: { chain: TChainIdentity; bundleFile: string }) {
  const rpc = chain.rpcUrl ?? "<your-node-rpc-url>";
  const command = `npm run verify -- ${bundleFile} --rpc ${rpc} --confirmations ${chain.confirmationsRequired}`;
  return (
    <Card title="Verify it yourself">
      <div className="space-y-2 text-sm" data-testid="verify-yourself">
        <p>
          Download the audit bundle, then, in a checkout of this portal&apos;s source (or any tool that reads
          the format in <code>docs/audit-bundle.md</code>), run against a node you trust:
        </p>
        <pre className="overflow-x-auto rounded bg-slate-900 p-2 text-slate-50" data-testid="verify-command">
          {command}
        </pre>
        <dl className="grid gap-1 sm:grid-cols-2">
          <div>
            <dt className="font-medium text-slate-600">Chain id</dt>
            <dd data-testid="verify-chain-id">{chain.chainId ?? "not reachable now"}</dd>
          </div>
          <div>
            <dt className="font-medium text-slate-600">AnchorRegistry contract</dt>
            <dd className="break-all font-mono" data-testid="verify-contract">
              {chain.contract ?? "none configured"}
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-600">JSON-RPC this portal suggests</dt>
            <dd className="break-all font-mono" data-testid="verify-rpc">
              {chain.rpcUrl ?? "none published: use your own node"}
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-600">Confirmations required</dt>
            <dd>{chain.confirmationsRequired}</dd>
          </div>
        </dl>
        <p>
          It prints VERIFIED (exit 0) only when every hash, chain link, Merkle proof and on-chain root holds
          with enough confirmations; NOT YET VERIFIED (exit 3) while a batch is still short of them; FAILED
          (exit 1) naming each problem.
        </p>
      </div>
    </Card>
  );
}

/**
 * `npm run verify -- bundle.json [--rpc URL]`: the offline verifier. Uses only the audit bundle and
 * the chain — never the portal's database: recomputes every event hash, checks each subject's chain
 * for gaps and reordering, and checks every inclusion proof against the root the contract holds
 * (one chain read per batch). Exits non-zero on any finding.
 */
import { readFileSync } from "node:fs";
import { anchorRegistryAt, createProvider } from "@/server/chain/client";
import { verifyAuditBundle, ZAuditBundleSchema } from "@/server/ledger/audit-bundle";

const args = process.argv.slice(2);
const confIndex = args.indexOf("--confirmations");
const confirmationsRequired = confIndex >= 0 ? Number(args[confIndex + 1]) : undefined;
const file = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
const rpcIndex = args.indexOf("--rpc");
const rpc = rpcIndex >= 0 ? args[rpcIndex + 1] : process.env.RPC_URL;
if (!file) {
  console.error("Usage: npm run verify -- bundle.json [--rpc URL] [--confirmations N]");
  process.exit(2);
}

const parsed = ZAuditBundleSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
if (!parsed.success) {
  console.error(
    `✘ ${file} is not an audit bundle: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`,
  );
  process.exit(1);
}
const bundle = parsed.data;
if (!rpc) {
  console.error("✘ no chain to verify against: pass --rpc URL (or set RPC_URL)");
  process.exit(2);
}
if (!bundle.chain.contract) {
  console.error("✘ the bundle names no AnchorRegistry contract");
  process.exit(1);
}

const provider = createProvider(rpc);
const chainId = BigInt(await provider.send("eth_chainId", [])).toString();
const started = performance.now();
const registry = anchorRegistryAt(bundle.chain.contract, provider);
const report = await verifyAuditBundle(bundle, registry, { confirmationsRequired });
const ms = performance.now() - started;
provider.destroy();

console.log(`Audit bundle ${file}`);
console.log(`  scope      ${JSON.stringify(bundle.scope)}`);
console.log(
  `  chain      ${chainId}${bundle.chain.chainId && bundle.chain.chainId !== chainId ? ` (bundle says ${bundle.chain.chainId}!)` : ""}, contract ${bundle.chain.contract}`,
);
console.log(
  `  events     ${report.eventsChecked} in ${report.batchesChecked} batches, checked in ${ms.toFixed(0)} ms`,
);
const unanchored = bundle.events.filter((e) => !e.anchor).length;
if (unanchored)
  console.log(
    `  note       ${unanchored} recent events are not anchored yet (their hashes and chain links were checked)`,
  );
if (bundle.chain.chainId && bundle.chain.chainId !== chainId) {
  report.findings.push({
    check: "batch-root",
    message: `the bundle was anchored on chain ${bundle.chain.chainId}, not ${chainId}`,
  });
}
const depths = report.confirmations.batches.map((b) => b.confirmations);
if (depths.length)
  console.log(
    `  anchoring  ${depths.length} batches, ${Math.min(...depths)}–${Math.max(...depths)} confirmations (${report.confirmations.required} required)`,
  );
if (report.findings.length === 0 && report.unconfirmed.length === 0) {
  console.log(
    `✔ VERIFIED: every hash, chain link and inclusion proof holds against on-chain roots with at least ${report.confirmations.required} confirmations`,
  );
  process.exit(0);
}
if (report.findings.length === 0) {
  console.log(
    `… NOT YET VERIFIED: hashes, links and proofs hold, but ${report.unconfirmed.length} batch(es) are short of the ${report.confirmations.required} confirmations required:`,
  );
  for (const u of report.unconfirmed)
    console.log(`  - batch ${u.batch}: ${u.confirmations} of ${report.confirmations.required} confirmations`);
  process.exit(3);
}
console.log(`✘ FAILED: ${report.findings.length} problem(s)`);
for (const f of report.findings) console.log(`  - [${f.check}] ${f.message}`);
process.exit(1);

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** ABI and bytecode of one compiled contract. */
export type TArtifact = {
  contractName: string;
  abi: unknown[];
  bytecode: string;
  sourceHash: string;
  compiler: string;
};

const require = createRequire(import.meta.url);
const ROOT = process.cwd();
export const CONTRACTS_DIR = path.join(ROOT, "contracts");
const ARTIFACTS_DIR = path.join(CONTRACTS_DIR, "artifacts");

function sources(): Record<string, { content: string }> {
  const out: Record<string, { content: string }> = {};
  for (const f of readdirSync(CONTRACTS_DIR)
    .filter((n) => n.endsWith(".sol"))
    .sort()) {
    out[f] = { content: readFileSync(path.join(CONTRACTS_DIR, f), "utf8") };
  }
  return out;
}

// OpenZeppelin imports resolve from node_modules, like Hardhat and Foundry remappings do.
function findImport(importPath: string): { contents: string } | { error: string } {
  try {
    return { contents: readFileSync(require.resolve(importPath), "utf8") };
  } catch {
    return { error: `File not found: ${importPath}` };
  }
}

/**
 * Compiles contracts/*.sol with the npm `solc` (WebAssembly, works offline) and caches the
 * artifacts in contracts/artifacts, keyed by a hash of the sources and compiler version, so a start
 * only recompiles when a contract changed.
 */
export function compileContracts(): Record<string, TArtifact> {
  const solc = require("solc") as { compile(input: string, opts: unknown): string; version(): string };
  const input = sources();
  const compiler = solc.version();
  const sourceHash = createHash("sha256").update(compiler).update(JSON.stringify(input)).digest("hex");
  const cacheFile = path.join(ARTIFACTS_DIR, "artifacts.json");
  if (existsSync(cacheFile)) {
    const cached = JSON.parse(readFileSync(cacheFile, "utf8")) as Record<string, TArtifact>;
    if (Object.values(cached).every((a) => a.sourceHash === sourceHash)) return cached;
  }
  const standardInput = {
    language: "Solidity",
    sources: input,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(standardInput), { import: findImport })) as {
    errors?: Array<{ severity: string; formattedMessage: string }>;
    contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length)
    throw new Error(`Solidity compilation failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const artifacts: Record<string, TArtifact> = {};
  for (const file of Object.keys(input)) {
    for (const [contractName, c] of Object.entries(output.contracts[file] ?? {})) {
      artifacts[contractName] = {
        contractName,
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        sourceHash,
        compiler,
      };
    }
  }
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(artifacts));
  return artifacts;
}

/** One compiled contract by name; throws naming it if it is missing. */
export function artifact(name: string): TArtifact {
  const a = compileContracts()[name];
  if (!a) throw new Error(`No compiled contract named ${name} in contracts/`);
  return a;
}

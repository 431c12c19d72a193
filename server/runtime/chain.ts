import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { freePort } from "./database";

/**
 * anvil's first default account (public, well-known, for the local dev chain only). Anchoring on
 * any real network uses DEPLOYER_PRIVATE_KEY from the environment instead.
 */
export const ANVIL_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/** The port Ethereum tools assume for a local node. */
export const ANVIL_DEFAULT_PORT = 8545;

export type TAnvil = { rpcUrl: string; chainId: number; port: number; stop: () => Promise<void> };

function anvilBinary(): string {
  const require = createRequire(import.meta.url);
  const pkg = path.dirname(require.resolve("@foundry-rs/anvil-linux-amd64/package.json"));
  const bin = path.join(pkg, "bin", "anvil");
  if (!existsSync(bin)) throw new Error(`anvil binary not found at ${bin}: reinstall @foundry-rs/anvil`);
  return bin;
}

async function rpc(url: string, method: string): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

/**
 * Starts a local anvil on loopback. With `stateFile`, the chain (blocks, contracts, storage) is
 * loaded from it and written back every few seconds and on stop, so a restart keeps anchored roots.
 */
export async function startAnvil(
  opts: { stateFile?: string; port?: number; hardfork?: string } = {},
): Promise<TAnvil> {
  const port = opts.port ?? (await freePort());
  const args = ["--host", "127.0.0.1", "--port", String(port), "--silent"];
  if (opts.hardfork) args.push("--hardfork", opts.hardfork);
  if (opts.stateFile) {
    mkdirSync(path.dirname(opts.stateFile), { recursive: true });
    args.push("--state", opts.stateFile, "--state-interval", "5");
  }
  // Own process group: a Ctrl-C in the terminal reaches the launcher, which stops anvil in order.
  const child: ChildProcess = spawn(anvilBinary(), args, {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const rpcUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  let chainId = 0;
  for (;;) {
    if (exited) throw new Error(`anvil exited during start-up: ${stderr.trim() || "no output"}`);
    try {
      chainId = Number(await rpc(rpcUrl, "eth_chainId"));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`anvil did not answer on ${rpcUrl} within 15 s`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    rpcUrl,
    chainId,
    port,
    async stop() {
      process.removeListener("exit", killOnExit);
      if (exited) return;
      // SIGINT makes anvil write its state file before exiting.
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

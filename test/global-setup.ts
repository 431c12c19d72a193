import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { testKeyRingSource } from "@/test/factories/test-keys";
import { startTestChain } from "./setup/chain";
import { startTestDatabase } from "./setup/database";

/**
 * One real PostgreSQL and one real anvil for the whole integration run.
 * Each setup returns the environment variables the tests need; they are exported to
 * process.env (inherited by the test workers) and also provided for `inject()`.
 */
export default async function setup(project: TestProject) {
  const db = await startTestDatabase();
  const chain = await startTestChain();
  // The run's own key folder: erasures in its tests rotate the key-encryption key there.
  const keysDir = path.resolve(".test-data", `keys-${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(path.dirname(keysDir), { recursive: true });
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const vars: Record<string, string> = {
    KEYS_DIR: keysDir,
    ...db.env,
    ...chain.env,
    // Field encryption for registrant records (fresh keys per run).
    DATA_ENCRYPTION_KEYS: process.env.DATA_ENCRYPTION_KEYS ?? testKeyRingSource("it1"),
  };
  Object.assign(process.env, vars);
  project.provide("testEnv", vars);
  return async () => {
    await chain.stop();
    await db.stop();
    rmSync(keysDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    testEnv: Record<string, string>;
  }
}

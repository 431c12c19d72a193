import type { TestProject } from "vitest/node";
import { testKeyRingSource } from "@/server/crypto/test-keys";
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
  const vars: Record<string, string> = {
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
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    testEnv: Record<string, string>;
  }
}

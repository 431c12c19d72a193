// TEMPORARY stub (database engineer) until the chain engineer delivers the real anvil setup.
export async function startTestChain(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  return { env: {}, stop: async () => {} };
}

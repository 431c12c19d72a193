import "server-only";

import { env } from "@/server/env";
import { loadOrCreateSigningKey, signerFromSeed, type TPortalSigner } from "./signing-key";

const CURRENT = Symbol.for("transplant-portal.ledger-signer");
type TSignerGlobal = typeof globalThis & { [CURRENT]?: TPortalSigner };

/**
 * This process's ledger-signing key: `LEDGER_SIGNING_KEY`, else the key file in `KEYS_DIR` (made
 * on first start). Read once; a rotation replaces it (`setPortalSigner`).
 */
export function portalSigner(): TPortalSigner {
  const g = globalThis as TSignerGlobal;
  if (!g[CURRENT]) {
    const e = env();
    g[CURRENT] = e.LEDGER_SIGNING_KEY
      ? signerFromSeed(e.LEDGER_SIGNING_KEY.toLowerCase())
      : loadOrCreateSigningKey(e.KEYS_DIR);
  }
  return g[CURRENT];
}

/** Makes `signer` this process's key from now on (after a recorded rotation). */
export function setPortalSigner(signer: TPortalSigner): void {
  (globalThis as TSignerGlobal)[CURRENT] = signer;
}

/**
 * `npm run keys:rotate-signing`: replaces the portal's ledger-signing key (in KEYS_DIR) and records
 * the rotation in the ledger, signed by the outgoing key. Run with the portal stopped.
 */
import { disconnectPrisma } from "@/server/db";
import { env } from "@/server/env";
import { rotatePortalSigningKey } from "@/server/ledger/signing-key-events";

const { from, to } = await rotatePortalSigningKey({ keysDir: env().KEYS_DIR });
console.log(
  `[keys] ledger signing key rotated from ${from} to ${to} (recorded as ledger.signing_key.rotated)`,
);
await disconnectPrisma();

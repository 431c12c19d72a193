import "server-only";

import { dataKekFolder, dataKeyRing } from "@/server/crypto/data-key-ring";
import type { TKekFolder } from "@/server/crypto/kek-store";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { type Tx, withTransaction } from "@/server/db";
import { lockDataKeysExclusive } from "./key-lock";
import { destroyUnusedKeks, rotateKekInTx } from "./rotate-key-encryption-key";

export type TErasureKeys = { ring?: TKeyRing; folder?: TKekFolder | null };

/**
 * Runs a crypto-shredding erasure (a candidate's records, a note) in one transaction that holds the
 * data-key lock exclusively, then rotates the key-encryption key in the same transaction and
 * destroys the old one after the commit. Clearing a wrapped key only makes a dead row version of
 * it; without the rotation, that copy would still unwrap with the KEK the portal keeps.
 */
export async function eraseAndRotate<T>(
  erase: (tx: Tx) => Promise<T>,
  { ring = dataKeyRing(), folder = dataKekFolder() }: TErasureKeys = {},
): Promise<T> {
  const result = await withTransaction(
    async (tx) => {
      // Before any row lock, as every writer takes it (shared) first: no deadlock.
      await lockDataKeysExclusive(tx);
      const out = await erase(tx);
      if (folder) await rotateKekInTx({ tx, ring, folder });
      return out;
    },
    { timeoutMs: 120_000 },
  );
  if (folder) await destroyUnusedKeks({ folder });
  return result;
}

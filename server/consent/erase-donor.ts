import "server-only";

import { dataKekFolder, dataKeyRing } from "@/server/crypto/data-key-ring";
import type { TKekFolder } from "@/server/crypto/kek-store";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent, type TActor } from "@/server/ledger/append-event";
import { lockDataKeysExclusive } from "./key-lock";
import { erasePrivateNotes } from "./private-note";
import { destroyUnusedKeks, rotateKekInTx } from "./rotate-key-encryption-key";

/**
 * Erasure (crypto-shredding): destroys the record key, the identity ciphertext and blind index,
 * every version's content, key and decision, the notes about them (staff's stated reasons), and the
 * sign-in account. Then it rotates the
 * key-encryption key: every other record's data key is re-wrapped under a new KEK and the old KEK
 * is destroyed once this commits, so the copies of this person's wrapped key that PostgreSQL keeps
 * (dead row versions, the WAL, backups) can no longer be unwrapped by anything the portal holds.
 * What stays: the tombstone, the versions' commitments and receipt codes, and the ledger's proof
 * that they existed — none of which can be turned back into the person or their choice.
 */
export async function eraseDonor({
  donorId,
  actor,
  now = new Date(),
  ring = dataKeyRing(),
  folder = dataKekFolder(),
}: {
  donorId: string;
  actor: TActor;
  now?: Date;
  ring?: TKeyRing;
  folder?: TKekFolder | null;
}): Promise<{ ledgerEventId: string }> {
  const result = await withTransaction(
    async (tx) => {
      // Before any row lock: registrations hold it shared, then lock rows (same order, no deadlock).
      await lockDataKeysExclusive(tx);
      await tx.$queryRaw`SELECT id FROM "Donor" WHERE id = ${donorId}::uuid FOR UPDATE`;
      const donor = await tx.donor.findUnique({
        where: { id: donorId },
        select: { userId: true, erasedAt: true },
      });
      if (!donor) throw new AppError("NOT_FOUND", "no such registrant");
      if (donor.erasedAt) throw new AppError("CONFLICT", "this record was already erased");
      await tx.consentVersion.updateMany({
        where: { donorId },
        data: { contentCiphertext: null, wrappedKey: null, decision: null },
      });
      await tx.donor.update({
        where: { id: donorId },
        data: {
          identityCiphertext: null,
          identityIndex: null,
          wrappedKey: null,
          erasedAt: now,
          userId: null,
        },
      });
      await erasePrivateNotes({ tx, donorId });
      if (donor.userId) await tx.user.delete({ where: { id: donor.userId } });
      if (folder) await rotateKekInTx({ tx, ring, folder });
      const ledger = await appendEvent({
        tx,
        subject: { type: "donor", id: donorId },
        type: "donor.erased",
        payload: { donorId },
        actor,
        now,
      });
      return { ledgerEventId: ledger.id };
    },
    { timeoutMs: 120_000 },
  );
  if (folder) await destroyUnusedKeks({ folder });
  return result;
}

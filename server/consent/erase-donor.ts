import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent, type TActor } from "@/server/ledger/append-event";

/**
 * Erasure (crypto-shredding): destroys the record key, the identity ciphertext and blind index,
 * every version's content, key and decision, and the sign-in account. What stays: the tombstone,
 * the versions' commitments and receipt codes, and the ledger's proof that they existed — none of
 * which can be turned back into the person or their choice without the destroyed salt and key.
 */
export async function eraseDonor({
  donorId,
  actor,
  now = new Date(),
}: {
  donorId: string;
  actor: TActor;
  now?: Date;
}): Promise<{ ledgerEventId: string }> {
  return withTransaction(async (tx) => {
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
      data: { identityCiphertext: null, identityIndex: null, wrappedKey: null, erasedAt: now, userId: null },
    });
    if (donor.userId) await tx.user.delete({ where: { id: donor.userId } });
    const ledger = await appendEvent({
      tx,
      subject: { type: "donor", id: donorId },
      type: "donor.erased",
      payload: { donorId },
      actor,
      now,
    });
    return { ledgerEventId: ledger.id };
  });
}

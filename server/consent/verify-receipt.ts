import "server-only";

import type { TAnchorRegistry } from "@/server/chain/client";
import { verifyCommitment } from "@/server/crypto/commitment";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { withSqlConnection, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { checkEventProof, readEventProofs, type TEventProof } from "@/server/ledger/get-event-proof";
import { consentStatus, type TConsentStatus } from "./consent-status";
import type { TConsentDecision } from "./decision-schema";
import { commitmentValue, decryptContent } from "./donor-record";
import { KEY_WAIT, lockDataKeysShared } from "./key-lock";
import { parseReceiptCode } from "./receipt-code";

export type TReceiptStatus = TConsentStatus;

export type TReceiptVerification = {
  receiptCode: string;
  version: number;
  kind: "FIRST_PERSON" | "FAMILY_AUTHORISATION";
  recordedAt: Date;
  status: TReceiptStatus;
  revokedAt: Date | null;
  commitment: string;
  /** The commitment inside the hashed ledger event is the one shown here. */
  commitmentOnLedger: boolean;
  proof: TEventProof;
  revocationProof: TEventProof | null;
  /** Only for the registrant themself: the content, and whether it opens the commitment. */
  content: { decision: TConsentDecision; salt: string; commitmentMatches: boolean } | null;
};

type TReceiptRow = {
  id: string;
  version: number;
  kind: "FIRST_PERSON" | "FAMILY_AUTHORISATION";
  createdAt: Date;
  revokedAt: Date | null;
  commitment: string;
  ledgerEventId: string;
  revocationEventId: string | null;
  donorUserId: string | null;
  donorErased: boolean;
  /** Versions of the same donor after this one (0: the latest). */
  later: number;
  /** The commitment inside the version's ledger event, as hashed. */
  commitmentOnLedger: unknown;
};

/** A consent version by receipt code, with its donor's state, later versions and its event's commitment. */
const RECEIPT_SQL = `
  SELECT v.id::text AS id, v.version, v.kind::text AS kind,
         v."createdAt" AT TIME ZONE 'UTC' AS "createdAt", v."revokedAt" AT TIME ZONE 'UTC' AS "revokedAt", v.commitment,
         v."ledgerEventId"::text AS "ledgerEventId", v."revocationEventId"::text AS "revocationEventId",
         d."userId"::text AS "donorUserId", d."erasedAt" IS NOT NULL AS "donorErased",
         (SELECT count(*)::int FROM "ConsentVersion" w
           WHERE w."donorId" = v."donorId" AND w.version > v.version) AS later,
         ev.payload->'commitment' AS "commitmentOnLedger"
    FROM "ConsentVersion" v
    LEFT JOIN "Donor" d ON d.id = v."donorId"
    LEFT JOIN "LedgerEvent" ev ON ev.id = v."ledgerEventId"
   WHERE v."receiptCode" = $1`;

/**
 * Public check of a consent receipt: anyone with the code sees the version's commitment, its ledger
 * event and anchoring proof (no content); the registrant also sees what they consented to, and that
 * it is exactly what the commitment on the ledger (and so on chain) binds.
 */
export async function verifyReceipt({
  code,
  viewerUserId,
  registry,
  ring,
}: {
  code: string;
  viewerUserId: string | null;
  registry: TAnchorRegistry | null;
  ring?: TKeyRing;
}): Promise<TReceiptVerification> {
  const receiptCode = parseReceiptCode(code);
  if (!receiptCode)
    throw new AppError("BAD_REQUEST", "this is not a receipt code (10 letters and digits)", {
      code: "not a receipt code",
    });
  // The database's part on one connection, in two statements (the version with what its status
  // needs, then both proofs); the chain is asked after, holding no connection.
  const found = await withSqlConnection(async (sql) => {
    const [version] = await sql.query<TReceiptRow>(RECEIPT_SQL, [receiptCode]);
    if (!version) return null;
    const ids = version.revocationEventId
      ? [version.ledgerEventId, version.revocationEventId]
      : [version.ledgerEventId];
    return { row: version, reads: await readEventProofs(ids, sql) };
  });
  if (!found) throw new AppError("NOT_FOUND", `no consent receipt ${receiptCode}`);
  const { row, reads } = found;
  const read = reads.get(row.ledgerEventId);
  if (!read) throw new AppError("NOT_FOUND", `No ledger event with id ${row.ledgerEventId}`);
  const revocation = row.revocationEventId ? reads.get(row.revocationEventId) : undefined;
  if (row.revocationEventId && !revocation) {
    throw new AppError("NOT_FOUND", `No ledger event with id ${row.revocationEventId}`);
  }
  const status: TReceiptStatus = consentStatus({
    erased: row.donorErased,
    revoked: !!row.revokedAt,
    latest: row.later === 0,
  });
  const proof = await checkEventProof(read, registry);
  const revocationProof = revocation ? await checkEventProof(revocation, registry) : null;

  let content: TReceiptVerification["content"] = null;
  const isOwner = viewerUserId !== null && row.donorUserId === viewerUserId && !row.donorErased;
  if (isOwner) {
    // Re-read and opened under the data-key lock (shared): the proofs above may take a while, and an
    // erasure meanwhile re-wraps the keys and destroys the KEK the row was read under.
    const stored = await withTransaction(async (tx) => {
      await lockDataKeysShared(tx);
      const fresh = await tx.consentVersion.findUnique({
        where: { receiptCode },
        include: { donor: { select: { wrappedKey: true } } },
      });
      return fresh ? decryptContent(ring ?? dataKeyRing(), fresh, fresh.donor?.wrappedKey ?? null) : null;
    }, KEY_WAIT);
    if (stored) {
      content = {
        decision: stored.decision,
        salt: stored.salt,
        commitmentMatches: verifyCommitment({
          salt: stored.salt,
          value: commitmentValue(row.id, row.version, stored.decision),
          commitment: row.commitment,
        }),
      };
    }
  }
  return {
    receiptCode,
    version: row.version,
    kind: row.kind,
    recordedAt: row.createdAt,
    status,
    revokedAt: row.revokedAt,
    commitment: row.commitment,
    commitmentOnLedger: row.commitmentOnLedger === row.commitment,
    proof,
    revocationProof,
    content,
  };
}

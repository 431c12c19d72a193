import "server-only";

import { blindIndex } from "@/server/crypto/blind-index";
import { dataKekFolder, dataKeyRing } from "@/server/crypto/data-key-ring";
import { needsRewrap, rewrapRecordKey } from "@/server/crypto/envelope";
import type { TKekFolder } from "@/server/crypto/kek-store";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { prisma as defaultDb } from "@/server/db";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { decryptIdentity } from "./donor-record";

/**
 * Key rotation: put the new master key first in DATA_ENCRYPTION_KEYS (keeping the old ones), run
 * this, then remove the old keys. The key folder's KEKs are sealed again under the new master key;
 * each record's data key is re-wrapped under the active KEK (or master key without a key folder)
 * and its blind index recomputed; field ciphertexts stay as they are. Safe to re-run: current rows
 * are skipped. Rows are updated only if unchanged, so a concurrent erasure is never undone.
 */
export async function rotateDataKeys({
  ring = dataKeyRing(),
  folder = ring.kek ? dataKekFolder() : null,
  batchSize = 200,
  db = defaultDb,
}: {
  ring?: TKeyRing;
  folder?: TKekFolder | null;
  batchSize?: number;
  db?: PrismaClient;
} = {}): Promise<{ donors: number; versions: number }> {
  folder?.reseal();
  const prisma = db;
  let donors = 0;
  let versions = 0;
  let cursor: string | undefined;
  for (;;) {
    const rows = await prisma.donor.findMany({
      where: { wrappedKey: { not: null } },
      orderBy: { id: "asc" },
      take: batchSize,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      select: { id: true, wrappedKey: true, identityCiphertext: true, identityIndex: true },
    });
    if (rows.length === 0) break;
    cursor = rows.at(-1)?.id;
    for (const row of rows) {
      if (!row.wrappedKey) continue;
      const identity = decryptIdentity(ring, row);
      const index = identity
        ? blindIndex({
            ring,
            scheme: identity.identifier.scheme,
            identifier: identity.identifier.value,
            dateOfBirth: identity.dateOfBirth,
          })
        : row.identityIndex;
      if (!needsRewrap({ ring, wrappedKey: row.wrappedKey }) && index === row.identityIndex) continue;
      // Conditional on the old key: a concurrent erasure (key set to null) is never undone.
      const { count } = await prisma.donor.updateMany({
        where: { id: row.id, wrappedKey: row.wrappedKey },
        data: { wrappedKey: rewrapRecordKey({ ring, wrappedKey: row.wrappedKey }), identityIndex: index },
      });
      donors += count;
    }
  }
  // Versions with their own key (family authorisations).
  const own = await prisma.consentVersion.findMany({
    where: { wrappedKey: { not: null } },
    select: { id: true, wrappedKey: true },
  });
  for (const row of own) {
    if (!row.wrappedKey || !needsRewrap({ ring, wrappedKey: row.wrappedKey })) continue;
    const { count } = await prisma.consentVersion.updateMany({
      where: { id: row.id, wrappedKey: row.wrappedKey },
      data: { wrappedKey: rewrapRecordKey({ ring, wrappedKey: row.wrappedKey }) },
    });
    versions += count;
  }
  return { donors, versions };
}

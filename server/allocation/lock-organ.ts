import "server-only";

import type { Tx } from "@/server/db";

/** Locks the organ row: offers for one organ are decided one at a time. */
export async function lockOrgan(tx: Tx, organId: string) {
  await tx.$queryRaw`SELECT id FROM "Organ" WHERE id = ${organId}::uuid FOR UPDATE`;
}

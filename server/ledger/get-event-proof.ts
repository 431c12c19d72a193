import "server-only";

import { checkOnChain } from "@/server/chain/batch-roots";
import type { TAnchorRegistry } from "@/server/chain/client";
import { prisma as defaultDb, type Tx } from "@/server/db";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { eventHash } from "./hash";
import { leafHash } from "./merkle";
import { readEventsWithProofs } from "./read-events";

export type TEventProof = {
  event: {
    id: string;
    subjectType: string;
    subjectId: string;
    sequence: number;
    type: string;
    serverTime: string;
    hash: string;
    prevHash: string | null;
  };
  hashValid: boolean;
  previous: { id: string; sequence: number; hash: string; linkValid: boolean } | null;
  anchor:
    | { status: "NOT_YET_BATCHED" }
    | {
        status: "PENDING" | "SENT" | "CONFIRMED";
        batch: number;
        root: string;
        leafIndex: number;
        leaf: string;
        proof: string[];
        txHash: string | null;
        blockNumber: string | null;
        chainId: string | null;
        contract: string | null;
        confirmations: number | null;
        /** The confirmations the portal requires before it calls a batch anchored (CHAIN_CONFIRMATIONS). */
        confirmationsRequired: number;
        onChain: { rootMatches: boolean; proofVerified: boolean } | { error: string } | null;
      };
};

/** What `getEventProof` reads from the database, before it asks the chain (`checkEventProof`). */
export type TEventProofRead = Awaited<ReturnType<typeof readEventProof>>;

/**
 * The database's part of an event's proof: the event with its Merkle proof, the previous event of
 * its subject, and its batch. A caller reading several proofs reads them on one connection (a
 * transaction) and asks the chain after, holding no connection while it waits.
 */
export async function readEventProof(eventId: string, db: PrismaClient | Tx = defaultDb) {
  const { events, batches } = await readEventsWithProofs({ id: eventId }, db);
  const e = events[0];
  if (!e) throw new AppError("NOT_FOUND", `No ledger event with id ${eventId}`);
  const prevRow =
    e.sequence > 1
      ? await db.ledgerEvent.findUnique({
          where: {
            subjectType_subjectId_sequence: {
              subjectType: e.subjectType,
              subjectId: e.subjectId,
              sequence: e.sequence - 1,
            },
          },
          select: { id: true, sequence: true, hash: true },
        })
      : null;
  const batchRow = e.anchor
    ? await db.anchorBatch.findUniqueOrThrow({ where: { id: e.anchor.batch } })
    : null;
  return { e, batch: batches[0], prevRow, batchRow };
}

/**
 * Everything needed to check one event without trusting the portal: its hash (recomputed), the
 * link to the previous event of its subject, its Merkle proof, the batch root and transaction, and
 * the contract's own `verify` answer.
 */
export async function getEventProof(opts: {
  eventId: string;
  registry: TAnchorRegistry | null;
  db?: PrismaClient;
}): Promise<TEventProof> {
  return checkEventProof(await readEventProof(opts.eventId, opts.db), opts.registry);
}

/** An event's proof from what `readEventProof` read, with the chain's answer. */
export async function checkEventProof(
  { e, batch, prevRow, batchRow }: TEventProofRead,
  registry: TAnchorRegistry | null,
): Promise<TEventProof> {
  const base = {
    event: {
      id: e.id,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      sequence: e.sequence,
      type: e.type,
      serverTime: e.serverTime,
      hash: e.hash,
      prevHash: e.prevHash,
    },
    hashValid: eventHash(e) === e.hash,
    previous: prevRow ? { ...prevRow, linkValid: prevRow.hash === e.prevHash } : null,
  };
  if (!e.anchor || !batchRow) return { ...base, anchor: { status: "NOT_YET_BATCHED" } };
  const leaf = leafHash(e.hash);
  let onChain: { rootMatches: boolean; proofVerified: boolean } | { error: string } | null = null;
  let confirmations: number | null = null;
  // A sent batch already mined is read too, so its confirmations so far can be shown.
  const mined =
    batchRow.status === "CONFIRMED" || (batchRow.status === "SENT" && batchRow.blockNumber !== null);
  if (registry && mined) {
    try {
      // Once the batch is final, its root and the contract's verdict are read from the chain once.
      const chain = await checkOnChain(registry, {
        batch: e.anchor.batch,
        blockNumber: batchRow.blockNumber === null ? null : Number(batchRow.blockNumber),
        leaf,
        proof: e.anchor.proof,
      });
      onChain = {
        rootMatches: chain.root?.toLowerCase() === batchRow.root.toLowerCase(),
        proofVerified: chain.proofVerified,
      };
      if (chain.head !== null && batchRow.blockNumber !== null)
        confirmations = chain.head - Number(batchRow.blockNumber) + 1;
    } catch (err) {
      onChain = { error: `chain unreachable: ${(err as Error).message.split("\n")[0]?.slice(0, 120)}` };
    }
  }
  return {
    ...base,
    anchor: {
      status: batchRow.status,
      batch: e.anchor.batch,
      root: batch?.root ?? batchRow.root,
      leafIndex: e.anchor.leafIndex,
      leaf,
      proof: e.anchor.proof,
      txHash: batchRow.txHash,
      blockNumber: batchRow.blockNumber?.toString() ?? null,
      chainId: batchRow.chainId?.toString() ?? null,
      contract: batchRow.contractAddress,
      confirmations,
      confirmationsRequired: env().CHAIN_CONFIRMATIONS,
      onChain,
    },
  };
}

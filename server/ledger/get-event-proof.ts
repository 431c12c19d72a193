import "server-only";

import { checkOnChain } from "@/server/chain/batch-roots";
import type { TAnchorRegistry } from "@/server/chain/client";
import { directSql, sqlFor, type TSql, type Tx } from "@/server/db";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { eventHash } from "./hash";
import { leafHash } from "./merkle";
import { EVENT_COLUMNS_SQL, type TAnchorBatchRow, type TLedgerEventRow, withProofs } from "./read-events";
import type { TBundleBatch, TBundleEvent } from "./verify-events";

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
export type TEventProofRead = {
  e: TBundleEvent;
  batch: TBundleBatch | undefined;
  prevRow: { id: string; sequence: number; hash: string } | null;
  batchRow: TProofBatchRow | null;
};

/** The columns of an event's batch the proof shows (numbers as text, as the chain's may pass 2^53). */
type TProofBatchRow = {
  status: "PENDING" | "SENT" | "CONFIRMED";
  root: string;
  txHash: string | null;
  blockNumber: string | null;
  chainId: string | null;
  contractAddress: string | null;
};

/**
 * One statement for what took four through Prisma per event: each event with its leaf and batch,
 * and the previous event of its subject.
 */
const PROOFS_SQL = `
  SELECT ${EVENT_COLUMNS_SQL},
         l."batchId", l."leafIndex", l.hash AS "leafHash",
         b.root, b."previousRoot", b."eventCount", b.status::text AS status, b."txHash", b."leafFormat",
         b."blockNumber"::text AS "blockNumber", b."chainId"::text AS "chainId", b."contractAddress",
         p.id::text AS "prevId", p.sequence AS "prevSequence", p.hash AS "prevStoredHash"
    FROM "LedgerEvent" e
    LEFT JOIN "AnchorLeaf" l ON l."eventId" = e.id
    LEFT JOIN "AnchorBatch" b ON b.id = l."batchId"
    LEFT JOIN "LedgerEvent" p ON e.sequence > 1 AND p."subjectType" = e."subjectType"
          AND p."subjectId" = e."subjectId" AND p.sequence = e.sequence - 1
   WHERE e.id = ANY($1::uuid[])`;

type TProofRow = TLedgerEventRow &
  Omit<TAnchorBatchRow, "id"> &
  TProofBatchRow & {
    batchId: number | null;
    leafIndex: number;
    leafHash: string | null;
    prevId: string | null;
    prevSequence: number | null;
    prevStoredHash: string | null;
  };

/**
 * The database's part of events' proofs, by event id: each event with its Merkle proof, the
 * previous event of its subject, and its batch. Read first and the chain asked after
 * (`checkEventProof`), so no connection is held while the chain answers.
 */
export async function readEventProofs(
  eventIds: string[],
  db: TSql | PrismaClient | Tx = directSql(),
): Promise<Map<string, TEventProofRead>> {
  const sql = sqlFor(db);
  const rows = await sql.query<TProofRow>(PROOFS_SQL, [eventIds]);
  const batchRows = new Map<number, TAnchorBatchRow>();
  for (const r of rows) {
    if (r.batchId === null || batchRows.has(r.batchId)) continue;
    const { root, previousRoot, eventCount, txHash, status, leafFormat } = r;
    batchRows.set(r.batchId, { id: r.batchId, root, previousRoot, eventCount, txHash, status, leafFormat });
  }
  const { events, batches } = await withProofs(
    sql,
    rows.map((r) => ({
      ...r,
      anchorLeaf:
        r.batchId === null ? null : { batchId: r.batchId, leafIndex: r.leafIndex, hash: r.leafHash },
    })),
    [...batchRows.values()].sort((a, b) => a.id - b.id),
  );
  const out = new Map<string, TEventProofRead>();
  rows.forEach((r, i) => {
    const e = events[i] as TBundleEvent;
    out.set(r.id, {
      e,
      batch: batches.find((b) => b.index === r.batchId),
      prevRow:
        r.prevId !== null && r.prevSequence !== null && r.prevStoredHash !== null
          ? { id: r.prevId, sequence: r.prevSequence, hash: r.prevStoredHash }
          : null,
      batchRow:
        r.batchId === null
          ? null
          : {
              status: r.status,
              root: r.root,
              txHash: r.txHash,
              blockNumber: r.blockNumber,
              chainId: r.chainId,
              contractAddress: r.contractAddress,
            },
    });
  });
  return out;
}

/** The database's part of one event's proof (`readEventProofs`); not found is an error. */
export async function readEventProof(
  eventId: string,
  db?: TSql | PrismaClient | Tx,
): Promise<TEventProofRead> {
  const read = (await readEventProofs([eventId], db)).get(eventId);
  if (!read) throw new AppError("NOT_FOUND", `No ledger event with id ${eventId}`);
  return read;
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

import { type Tx, withTransaction } from "@/server/db";
import type { Candidate, Organisation } from "@/server/generated/prisma/client";
import { appendEvent, type TActor } from "@/server/ledger/append-event";
import { eventHash } from "@/server/ledger/hash";
import { bundleEventOf, type TLedgerEventRow } from "@/server/ledger/read-events";
import {
  prepareCandidate,
  type TCandidateInput,
  type TPreparedCandidate,
  ZCandidateSchema,
} from "@/server/matching/engine/prepare-candidate";
import { engineCandidate } from "./records";

/**
 * The waiting list as the ledger records it. Every waiting-list write appends a
 * `candidate.recorded` event holding the candidate exactly as the engine reads it, in the same
 * transaction as the row. A match run then records only the ledger position it read up to: the
 * list at that position is rebuilt from the events by anyone, and each instance keeps it prepared
 * in memory, applying only newer events before a run.
 *
 * Writers take the waiting-list lock shared, a match run takes it exclusively: when a run holds
 * it no write is in flight, so every event below the position it reads is committed and visible
 * (positions are assigned at insert, not at commit).
 */
const WAITLIST_LOCK = "waitlist";

export async function lockWaitlistForWrite(tx: Tx) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended(${WAITLIST_LOCK}, 0))`;
}

export async function lockWaitlistForMatch(tx: Tx) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${WAITLIST_LOCK}, 0))`;
}

/** Records the candidate's current state as a ledger event (call after writing the row, same tx). */
export async function recordCandidateVersion(opts: {
  tx: Tx;
  row: Candidate;
  centre: Pick<Organisation, "id" | "latitude" | "longitude">;
  actor: TActor;
  now?: Date;
}) {
  await appendEvent({
    tx: opts.tx,
    subject: { type: "candidate", id: opts.row.id },
    type: "candidate.recorded",
    payload: {
      candidateId: opts.row.id,
      candidate: engineCandidate(opts.row, opts.centre) as unknown as Record<string, unknown>,
    },
    actor: opts.actor,
    now: opts.now,
  });
}

/** One candidate of the list: prepared for the engine, or the rule its record fails. */
export type TWaitlistEntry =
  | { ok: true; id: string; organ: string; prepared: TPreparedCandidate }
  | { ok: false; id: string; organ: string; centreId: string; message: string };

function entryOf(id: string, input: TCandidateInput): TWaitlistEntry {
  const checked = ZCandidateSchema.safeParse(input);
  if (!checked.success) {
    return {
      ok: false,
      id,
      organ: String(input.organ),
      centreId: String(input.centreId),
      message: checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    };
  }
  // Only the prepared form is kept: the parsed event is garbage once this returns.
  return { ok: true, id, organ: input.organ, prepared: prepareCandidate(checked.data) };
}

type TEventRow = {
  position: bigint;
  subjectId: string;
  hash: string;
  payload: { candidate: TCandidateInput };
};

/** The waiting-list events recorded after `after`, in ledger order. */
const readEvents = (tx: Tx, after: bigint) =>
  tx.$queryRaw<TEventRow[]>`
    SELECT position, "subjectId", hash, payload FROM "LedgerEvent"
    WHERE type = 'candidate.recorded' AND position > ${after}
    ORDER BY position`;

/** This instance's prepared waiting list and the ledger position it reflects. */
const cache: {
  position: bigint;
  hash: string | null;
  entries: Map<string, TWaitlistEntry>;
  /** Per organ type, the list in listing order; dropped when an event changes the list. */
  lists: Map<string, TOrganList>;
} = { position: 0n, hash: null, entries: new Map(), lists: new Map() };

export type TOrganList = {
  listed: number;
  prepared: TPreparedCandidate[];
  invalid: Array<{ candidateId: string; centreId: string; message: string }>;
};

/**
 * One organ type's list in the order runs and replays rank it: listing order (each candidate where
 * its first `candidate.recorded` event put it: `entries` is filled in ledger order and a Map keeps
 * a key's first place), or candidate-id order for runs recorded before that (snapshot version 2).
 * Listing order is also the order the instance prepared the list in, so a run reads memory in
 * sequence: sorted by id, the same run at 100,000 candidates took three times as long.
 */
export function organList(
  entries: Map<string, TWaitlistEntry>,
  organ: string,
  order: "listing" | "id" = "listing",
): TOrganList {
  const list = [...entries.values()].filter((e) => e.organ === organ);
  if (order === "id") list.sort((x, y) => (x.id < y.id ? -1 : 1));
  return {
    listed: list.length,
    prepared: list.flatMap((e) => (e.ok ? [e.prepared] : [])),
    invalid: list.flatMap((e) =>
      e.ok ? [] : [{ candidateId: e.id, centreId: e.centreId, message: e.message }],
    ),
  };
}

/**
 * The waiting list now, for a match run. Precondition: the caller holds `lockWaitlistForMatch`.
 * Applies the events recorded since the last call (all of them the first time).
 */
export async function currentWaitlist(tx: Tx) {
  if (cache.hash !== null) {
    // Another database (tests, a reset) behind the same process: start again from nothing.
    const [still] = await tx.$queryRaw<Array<{ hash: string }>>`
      SELECT hash FROM "LedgerEvent" WHERE position = ${cache.position}`;
    if (still?.hash !== cache.hash) {
      cache.position = 0n;
      cache.hash = null;
      cache.entries = new Map();
      cache.lists = new Map();
    }
  }
  const rows = await readEvents(tx, cache.position);
  for (const r of rows) {
    const before = cache.entries.get(r.subjectId);
    const entry = entryOf(r.subjectId, r.payload.candidate);
    cache.entries.set(r.subjectId, entry);
    if (before) cache.lists.delete(before.organ);
    cache.lists.delete(entry.organ);
  }
  const last = rows.at(-1);
  if (last) {
    cache.position = last.position;
    cache.hash = last.hash;
  }
  return {
    position: cache.position,
    list(organ: string): TOrganList {
      let l = cache.lists.get(organ);
      if (!l) {
        l = organList(cache.entries, organ);
        cache.lists.set(organ, l);
      }
      return l;
    },
  };
}

/**
 * The waiting list as it stood at `upTo`, rebuilt from the ledger for a replay, each event's hash
 * recomputed. Returns the entries and the events whose content no longer matches their hash.
 */
export async function waitlistAt(tx: Tx, upTo: bigint) {
  const rows = await tx.$queryRaw<Array<TLedgerEventRow & { payload: { candidate: TCandidateInput } }>>`
    SELECT id, position, "subjectType", "subjectId", sequence, type, "schemaVersion", "actorUserId",
           "actorRole", "actorOrgId", "serverTime", "reportedTime", payload, salt, "prevHash", hash
    FROM "LedgerEvent"
    WHERE type = 'candidate.recorded' AND position <= ${upTo}
    ORDER BY position`;
  const latest = new Map<string, TCandidateInput>();
  const altered: string[] = [];
  for (const r of rows) {
    const recomputed = eventHash(bundleEventOf(r));
    if (recomputed !== r.hash) altered.push(r.id);
    latest.set(r.subjectId, r.payload.candidate);
  }
  const entries = new Map<string, TWaitlistEntry>();
  for (const [id, input] of latest) entries.set(id, entryOf(id, input));
  return { entries, altered };
}

/**
 * Loads this instance's copy of the waiting list (at start, so the first match run does not pay
 * for reading every candidate). Holds the match lock while it reads, like a run.
 */
export async function warmWaitlist(): Promise<{ candidates: number; ms: number }> {
  const started = performance.now();
  await withTransaction(
    async (tx) => {
      await lockWaitlistForMatch(tx);
      const waitlist = await currentWaitlist(tx);
      for (const organ of new Set([...cache.entries.values()].map((e) => e.organ))) waitlist.list(organ);
    },
    { timeoutMs: 300_000 },
  );
  return { candidates: cache.entries.size, ms: Math.round(performance.now() - started) };
}

import "server-only";

import { lockDataKeysShared } from "@/server/consent/key-lock";
import { directStatements, sqlOf, type TSql, type Tx, withTransaction } from "@/server/db";
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
import {
  openCandidateRecords,
  RECORD_PROBLEM_MESSAGE,
  sealCandidateRecord,
  type TCandidateRecordRef,
} from "./candidate-record";
import { engineCandidate } from "./records";

/**
 * The waiting list as the ledger records it. Every waiting-list write seals the candidate exactly
 * as the engine reads it in an encrypted record (candidate-record.ts) and appends a
 * `candidate.recorded` event committing to it, in the same transaction as the row. A match run then records only the ledger position it read up to: the
 * list at that position is rebuilt from the events by anyone, and each instance keeps it prepared
 * in memory, applying only newer events before a run.
 *
 * Writers take the waiting-list lock shared, before their event takes its position. A match run
 * first passes a barrier (`waitlistBarrier`): the lock taken exclusively and released at once,
 * then the ledger's last position read. When the lock was granted no write was in flight, so every
 * waiting-list event up to that position is committed and visible, and a write that starts later
 * takes a later position (positions are assigned at insert, not at commit). The run reads the
 * list up to that position without holding the lock: runs overlap each other and writes.
 */
const WAITLIST_LOCK = "waitlist";

/** The waiting-list lock taken exclusively, as an SQL expression (the barrier, the load at start). */
const WAITLIST_MATCH_LOCK_SQL = `pg_advisory_xact_lock(hashtextextended('${WAITLIST_LOCK}', 0))`;

/** The longest the barrier waits for the writes in flight (as long as a direct statement may). */
const BARRIER_TIMEOUT_MS = 60_000;

/**
 * A match run's barrier, before its transaction, in one round trip: the waiting-list lock taken
 * exclusively in an implicit transaction of its own (released when it ends), then the ledger's last
 * position, read in a later statement, so after the lock was granted. Every waiting-list event up
 * to the position returned is committed; the run reads the list up to it.
 */
export async function waitlistBarrier(): Promise<bigint> {
  const [row] = await directStatements<{ upTo: string }>(
    `SELECT set_config('statement_timeout', '${BARRIER_TIMEOUT_MS}', true);
     SELECT ${WAITLIST_MATCH_LOCK_SQL};
     SELECT COALESCE(max(position), 0)::text AS "upTo" FROM "LedgerEvent"`,
  );
  return BigInt(row?.upTo ?? "0");
}

/**
 * Writers also hold the data-key lock shared (first, as every writer does): a candidate's key read
 * in the transaction is not re-wrapped by an erasure before the record sealed under it commits.
 */
export async function lockWaitlistForWrite(tx: Tx) {
  await lockDataKeysShared(tx);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended(${WAITLIST_LOCK}, 0))`;
}

/**
 * The load at start opens every candidate's record holding the lock exclusively (a run passes
 * `waitlistBarrier` instead and opens new versions in its own transaction). It holds the data-key
 * lock shared first, so no erasure re-wraps the keys and destroys the old KEK between reading a key
 * and opening its record (an erasure waits for it, it for an erasure's re-wrap; same order, no
 * deadlock).
 */
export async function lockWaitlistForMatch(tx: Tx | TSql) {
  await lockDataKeysShared(tx);
  await sqlOf(tx).exec(`SELECT ${WAITLIST_MATCH_LOCK_SQL}`);
}

/**
 * Records the candidate's current state (call after writing the row, same tx): the engine's input
 * as an encrypted record, and a ledger event committing to it. Precondition: the transaction took
 * `lockWaitlistForWrite` before reading or writing the row (it takes the data-key lock too).
 */
export async function recordCandidateVersion(opts: {
  tx: Tx;
  row: Candidate;
  centre: Pick<Organisation, "id" | "latitude" | "longitude">;
  actor: TActor;
  now?: Date;
  /** The engine's input when the row does not hold it (clinical detail lives only in records). */
  candidate?: TCandidateInput;
}) {
  const record = await sealCandidateRecord({
    tx: opts.tx,
    row: opts.row,
    candidate: opts.candidate ?? engineCandidate(opts.row, opts.centre),
  });
  await appendEvent({
    tx: opts.tx,
    subject: { type: "candidate", id: opts.row.id },
    type: "candidate.recorded",
    payload: { candidateId: opts.row.id, organ: opts.row.organ, centreId: opts.row.centerId, record },
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

/** A `candidate.recorded` payload: the input itself (version 1) or a commitment to its record. */
type TRecordedPayload = {
  candidate?: TCandidateInput;
  organ?: string;
  centreId?: string;
  record?: TCandidateRecordRef;
};

type TEventRow = {
  position: bigint;
  subjectId: string;
  type: string;
  hash: string;
  payload: TRecordedPayload;
};

const EVENT_COLUMNS = `position, "subjectId"::text AS "subjectId", type, hash, payload`;
const WAITLIST_EVENTS = `type IN ('candidate.recorded', 'candidate.erased')`;

/**
 * The waiting-list events recorded after `after`, in ledger order, in one statement with the hash
 * of the event at `after` (a first row with a null position: the copy's check that it still reads
 * the same ledger). int8 comes back as text from direct SQL and as bigint from Prisma.
 */
async function readEvents(sql: TSql, after: bigint, upTo: bigint | null) {
  const rows = await sql.query<Omit<TEventRow, "position"> & { position: string | bigint | null }>(
    `SELECT NULL::bigint AS position, NULL AS "subjectId", 'at' AS type,
            (SELECT hash FROM "LedgerEvent" WHERE position = $1::bigint) AS hash, NULL::jsonb AS payload
     UNION ALL
     SELECT ${EVENT_COLUMNS} FROM "LedgerEvent"
      WHERE ${WAITLIST_EVENTS} AND position > $1::bigint AND ($2::bigint IS NULL OR position <= $2::bigint)
     ORDER BY position NULLS FIRST`,
    [after.toString(), upTo === null ? null : upTo.toString()],
  );
  const [at, ...events] = rows;
  return {
    hashAt: at?.hash ?? null,
    events: events.map((r) => ({ ...r, position: BigInt(r.position as string | bigint) }) as TEventRow),
  };
}

/**
 * Each candidate's entry from its latest recorded payload: version 1 events hold the input, later
 * ones commit to a record, opened here and checked against the commitment (one unreadable record
 * is a candidate excluded by name, never a failed run).
 */
async function entriesFromPayloads(tx: Tx | TSql, latest: Map<string, TRecordedPayload>) {
  const refs = [...latest].flatMap(([candidateId, p]) =>
    p.record && !p.candidate ? [{ candidateId, record: p.record }] : [],
  );
  const opened = await openCandidateRecords({ tx, refs });
  const entries = new Map<string, TWaitlistEntry>();
  for (const [id, p] of latest) {
    if (p.candidate) {
      entries.set(id, entryOf(id, p.candidate));
      continue;
    }
    const r = p.record ? opened.get(p.record.id) : undefined;
    entries.set(
      id,
      r?.ok
        ? entryOf(id, r.candidate)
        : {
            ok: false,
            id,
            organ: String(p.organ),
            centreId: String(p.centreId),
            message: RECORD_PROBLEM_MESSAGE[r?.problem ?? "missing"],
          },
    );
  }
  return entries;
}

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

/** This instance's updates of its copy, one at a time: runs overlap, and each applies what it read. */
let updating: Promise<unknown> = Promise.resolve();

export type TWaitlistView = { position: bigint; list(organ: string): TOrganList };

/**
 * The waiting list for a match run, up to `upTo` (the run's `waitlistBarrier`; every waiting-list
 * event up to it is committed) or, holding `lockWaitlistForMatch`, up to the end. Applies the
 * events recorded since the copy's position (all of them the first time), then calls `use` with
 * the copy before any other update can change it: `position` is where the copy stands, at or past
 * `upTo` (a run that passed a later barrier may have moved it on; what it applied is committed too).
 */
export function currentWaitlist<T>(
  tx: Tx | TSql,
  upTo: bigint | null,
  use: (view: TWaitlistView) => T,
): Promise<T> {
  const update = updating.then(async () => {
    await applyNewEvents(tx, upTo);
    return use({
      position: cache.position,
      list(organ: string): TOrganList {
        let l = cache.lists.get(organ);
        if (!l) {
          l = organList(cache.entries, organ);
          cache.lists.set(organ, l);
        }
        return l;
      },
    });
  });
  updating = update.catch(() => undefined);
  return update;
}

async function applyNewEvents(tx: Tx | TSql, upTo: bigint | null): Promise<void> {
  const sql = sqlOf(tx);
  let read = await readEvents(sql, cache.position, upTo);
  if (cache.hash !== null && read.hashAt !== cache.hash) {
    // Another database (tests, a reset) behind the same process: start again from nothing.
    cache.position = 0n;
    cache.hash = null;
    cache.entries = new Map();
    cache.lists = new Map();
    read = await readEvents(sql, 0n, upTo);
  }
  const rows = read.events;
  // Only each candidate's latest version is opened; the first event still sets its listing place.
  const latest = new Map<string, TRecordedPayload>();
  const erased = new Set<string>();
  for (const r of rows) {
    if (r.type === "candidate.erased") erased.add(r.subjectId);
    else {
      latest.set(r.subjectId, r.payload);
      erased.delete(r.subjectId);
    }
  }
  const opened = await entriesFromPayloads(tx, latest);
  for (const r of rows) {
    const before = cache.entries.get(r.subjectId);
    // An erased candidate stays listed, unreadable, excluded by name, as a replay rebuilds them:
    // from the entry this instance had, or (first load) from their shredded record.
    const entry: TWaitlistEntry | undefined =
      erased.has(r.subjectId) && before
        ? {
            ok: false,
            id: r.subjectId,
            organ: before.organ,
            centreId: before.ok ? before.prepared.centreId : before.centreId,
            message: RECORD_PROBLEM_MESSAGE.erased,
          }
        : opened.get(r.subjectId);
    if (!entry) continue;
    cache.entries.set(r.subjectId, entry);
    if (before) cache.lists.delete(before.organ);
    cache.lists.delete(entry.organ);
  }
  const last = rows.at(-1);
  if (last) {
    cache.position = last.position;
    cache.hash = last.hash;
  }
}

/**
 * The waiting list as it stood at `upTo`, rebuilt from the ledger for a replay, each event's hash
 * recomputed. Returns the entries, the events whose content no longer matches their hash, and the
 * candidates already erased at `upTo` (the run too read them as erased: no difference to report).
 */
export async function waitlistAt(tx: Tx, upTo: bigint) {
  const rows = await tx.$queryRaw<Array<TLedgerEventRow & { payload: TRecordedPayload }>>`
    SELECT id, position, "subjectType", "subjectId", sequence, type, "schemaVersion", "actorUserId",
           "actorRole", "actorOrgId", "serverTime", "reportedTime", payload, salt, "prevHash", hash
    FROM "LedgerEvent"
    WHERE type IN ('candidate.recorded', 'candidate.erased') AND position <= ${upTo}
    ORDER BY position`;
  const latest = new Map<string, TRecordedPayload>();
  const altered: string[] = [];
  const erasedBefore = new Set<string>();
  for (const r of rows) {
    const recomputed = eventHash(bundleEventOf(r));
    if (recomputed !== r.hash) altered.push(r.id);
    if (r.type === "candidate.erased") {
      erasedBefore.add(r.subjectId);
    } else {
      latest.set(r.subjectId, r.payload);
      erasedBefore.delete(r.subjectId);
    }
  }
  return { entries: await entriesFromPayloads(tx, latest), altered, erasedBefore };
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
      await currentWaitlist(tx, null, (waitlist) => {
        for (const organ of new Set([...cache.entries.values()].map((e) => e.organ))) waitlist.list(organ);
      });
    },
    { timeoutMs: 300_000 },
  );
  return { candidates: cache.entries.size, ms: Math.round(performance.now() - started) };
}

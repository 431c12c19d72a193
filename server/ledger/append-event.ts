import "server-only";

import { randomBytes, randomUUID } from "node:crypto";
import { sqlOf, type TSql, type Tx } from "@/server/db";
import { EVENT_TYPES, parsePayload, type TEventPayload, type TEventType } from "./event-types";
import { eventHash } from "./hash";
import { portalSigner } from "./portal-signer";
import type { TPortalSigner } from "./signing-key";

/** Who did it: the authenticated user, their role and organisation (null for the system itself). */
export type TActor = { userId: string | null; role: string | null; orgId: string | null };

export const SYSTEM_ACTOR: TActor = { userId: null, role: "SYSTEM", orgId: null };

export type TAppendedEvent = {
  id: string;
  subjectType: string;
  subjectId: string;
  sequence: number;
  hash: string;
  serverTime: Date;
};

/** A subject's last event, as the next append needs it (null: the subject has none yet). */
export type TSubjectTail = { sequence: number; hash: string; serverTime: Date } | null;

/** The key of a subject's append lock (a transaction-scoped advisory lock). */
export const subjectLockKey = (subject: { type: string; id: string }) =>
  `ledger:${subject.type}:${subject.id}`;

/** SQL taking the append lock named by the text parameter `param` (e.g. `$3`), to the transaction's end. */
export const subjectLockSql = (param: string) => `pg_advisory_xact_lock(hashtextextended(${param}, 0))`;

/**
 * A scalar subquery giving the subject's last event as JSON (`subjectTail` reads it), for a caller
 * that holds the subject's lock and reads the tail in a statement of its own (a custody step reads it
 * with its organ's last step). Must run in a statement that starts after the lock was taken.
 */
export const subjectTailSql = (typeParam: string, idParam: string) =>
  `(SELECT json_build_object('sequence', sequence, 'hash', hash, 'serverTime', "serverTime")
      FROM "LedgerEvent" WHERE "subjectType" = ${typeParam} AND "subjectId" = ${idParam}
     ORDER BY sequence DESC LIMIT 1)`;

/** The tail as `subjectTailSql` selected it. */
export function subjectTail(json: unknown): TSubjectTail {
  if (!json) return null;
  const t = (typeof json === "string" ? JSON.parse(json) : json) as {
    sequence: number;
    hash: string;
    serverTime: string;
  };
  return { sequence: t.sequence, hash: t.hash, serverTime: new Date(t.serverTime) };
}

/**
 * Appends one event to its subject's hash chain. Must run inside the caller's transaction, so the
 * event commits together with the state change it records, or not at all. A per-subject advisory
 * lock serialises concurrent appends to the same subject, so the chain never forks.
 *
 * The recorded time (`serverTime`) is read under that same lock, so within a subject it never goes
 * backwards as the sequence goes up (the audit checks this). A caller's `now` (its own clock read,
 * possibly before it waited for a lock, or a test's fixed time) is taken as it is unless it is
 * before the subject's previous event; then the previous event's time is recorded instead (a few
 * milliseconds at most for a live caller). `reportedTime` is what a person or device said, kept as
 * given: its rules are the domain's (e.g. custody's clock-skew allowance), not the chain's.
 *
 * Every event is signed over its hash by the portal's key (signing-key.ts), which the database
 * never holds; the anchor worker checks the signature before anchoring.
 */
export async function appendEvent<T extends TEventType>(opts: {
  tx: Tx | TSql;
  subject: { type: string; id: string };
  type: T;
  payload: TEventPayload<T>;
  actor: TActor;
  reportedTime?: Date | null;
  now?: Date;
  /** Defaults to the portal's key; a rotation signs its own event with the outgoing key. */
  signer?: TPortalSigner;
  /**
   * The caller already holds the subject's lock and read its tail after taking it (`subjectTailSql`):
   * both statements are saved on the hottest write.
   */
  held?: { tail: TSubjectTail };
}): Promise<TAppendedEvent> {
  const { subject, type, actor } = opts;
  const sql = sqlOf(opts.tx);
  const payload = parsePayload(type, opts.payload);
  const last = opts.held ? opts.held.tail : await lockSubject(sql, subject);
  const serverTime = new Date(
    Math.max(Math.floor((opts.now ?? new Date()).getTime()), last?.serverTime.getTime() ?? 0),
  );
  const reportedTime = opts.reportedTime ?? null;
  const fields = {
    salt: `0x${randomBytes(32).toString("hex")}`,
    subjectType: subject.type,
    subjectId: subject.id,
    sequence: (last?.sequence ?? 0) + 1,
    type,
    schemaVersion: EVENT_TYPES[type].version,
    actor: { userId: actor.userId, role: actor.role, orgId: actor.orgId },
    serverTime: serverTime.toISOString(),
    reportedTime: reportedTime ? reportedTime.toISOString() : null,
    payload,
    prevHash: last?.hash ?? null,
  };
  const hash = eventHash(fields);
  // Signed over the hash (which commits to everything above): a row written straight into the
  // database, without the key, cannot carry a signature that holds.
  const signer = opts.signer ?? portalSigner();
  const signature = signer.sign(hash);
  // Raw SQL with the payload as one JSON text: Prisma's argument serialiser walks every node of a
  // JSON value, which dominates the cost of large payloads (a match run's snapshot).
  const id = randomUUID();
  await sql.exec(
    `INSERT INTO "LedgerEvent" (id, "subjectType", "subjectId", sequence, type, "schemaVersion",
      "actorUserId", "actorRole", "actorOrgId", "serverTime", "reportedTime", payload, salt, "prevHash", hash, signature, "signedBy")
    VALUES ($1::uuid, $2, $3, $4::int, $5, $6::int, $7, $8, $9, $10::timestamptz, $11::timestamptz,
      $12::jsonb, $13, $14, $15, $16, $17)`,
    [
      id,
      fields.subjectType,
      fields.subjectId,
      fields.sequence,
      type,
      fields.schemaVersion,
      actor.userId,
      actor.role,
      actor.orgId,
      fields.serverTime,
      fields.reportedTime,
      JSON.stringify(payload),
      fields.salt,
      fields.prevHash,
      hash,
      signature,
      signer.keyId,
    ],
  );
  const row = { id };
  return {
    id: row.id,
    subjectType: subject.type,
    subjectId: subject.id,
    sequence: fields.sequence,
    hash,
    serverTime,
  };
}

/** Takes the subject's append lock, then (in a statement that sees every append before it) reads its tail. */
async function lockSubject(sql: TSql, subject: { type: string; id: string }): Promise<TSubjectTail> {
  await sql.exec(`SELECT ${subjectLockSql("$1")}`, [subjectLockKey(subject)]);
  const [last] = await sql.query<{ sequence: number; hash: string; serverTime: Date }>(
    `SELECT sequence, hash, "serverTime" FROM "LedgerEvent"
      WHERE "subjectType" = $1 AND "subjectId" = $2 ORDER BY sequence DESC LIMIT 1`,
    [subject.type, subject.id],
  );
  return last ?? null;
}

import "server-only";

import { randomUUID } from "node:crypto";
import { z } from "zod";
import { commit, generateSalt, verifyCommitment } from "@/server/crypto/commitment";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import { createRecordKey, decryptJson, encryptJson } from "@/server/crypto/envelope";
import { ringAsOfNow } from "@/server/crypto/kek-store";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { isSql, prisma, sqlOf, TRANSACTION_MAX_WAIT_MS, type TSql, type Tx } from "@/server/db";
import { ACCESS_REASON_LABELS } from "./access-reasons";
import { KEY_WAIT, lockDataKeysShared, withSqlTransactionHoldingDataKeys } from "./key-lock";

/**
 * Free text the permanent ledger must not hold (a stated reason for reading someone's record): an
 * encrypted `PrivateNote` row, and on the ledger only its id and a salted commitment to the text.
 * A note about a registrant is encrypted under their data key, so their erasure shreds it too.
 */
const noteContext = (id: string) => `PrivateNote.text:${id}`;
const ZStoredNoteSchema = z.object({ text: z.string(), salt: z.string() });

export type TNoteRef = { id: string; commitment: string };

export async function recordPrivateNote({
  tx,
  text,
  donor,
  ring = dataKeyRing(),
}: {
  tx: Tx | TSql;
  text: string;
  /** The registrant the note concerns, when there is one. */
  donor?: { id: string; wrappedKey: string | null } | null;
  ring?: TKeyRing;
}): Promise<TNoteRef> {
  const id = randomUUID();
  const salt = generateSalt();
  const commitment = commit({ salt, value: { noteId: id, text } });
  let wrappedKey: string | null = null;
  let key = donor?.wrappedKey ?? null;
  if (!key) {
    await lockDataKeysShared(tx);
    wrappedKey = createRecordKey({ ring });
    key = wrappedKey;
  }
  const ciphertext = encryptJson({ ring, wrappedKey: key, context: noteContext(id), value: { text, salt } });
  await sqlOf(tx).exec(
    `INSERT INTO "PrivateNote" (id, "donorId", "wrappedKey", ciphertext, commitment, "createdAt")
     VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::timestamptz AT TIME ZONE 'UTC')`,
    [id, donor?.wrappedKey ? donor.id : null, wrappedKey, ciphertext, commitment, new Date().toISOString()],
  );
  return { id, commitment };
}

/**
 * The texts of these notes, checked against their commitments; null for a note that was erased
 * (or does not match what the ledger committed to).
 */
export async function readPrivateNotes({
  ids,
  ring,
  db = prisma,
}: {
  ids: string[];
  ring?: TKeyRing;
  db?: Tx | typeof prisma | TSql;
}): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const keys = ring ?? dataKeyRing();
  return readingUnderDataKeys(db, async (sql) => openNoteRows(await noteRows(ids, sql), keys));
}

/**
 * Runs `fn` holding the data-key lock shared, so an erasure elsewhere cannot rotate the KEK and
 * destroy the old one between reading a wrapped key and unwrapping it. The portal's own client, and
 * direct SQL outside a transaction, read through the pool in one transaction whose BEGIN takes the
 * lock; another Prisma client in a transaction of its own; a caller's transaction holds the lock itself.
 */
export function readingUnderDataKeys<T>(
  db: Tx | typeof prisma | TSql,
  fn: (sql: TSql) => Promise<T>,
): Promise<T> {
  if (db === prisma || (isSql(db) && db.autocommit)) return withSqlTransactionHoldingDataKeys(fn);
  const client = db as Partial<Pick<typeof prisma, "$transaction">>;
  if (typeof client.$transaction === "function") {
    return (db as typeof prisma).$transaction(
      async (tx) => {
        await lockDataKeysShared(tx);
        return fn(sqlOf(tx));
      },
      { timeout: KEY_WAIT.timeoutMs, maxWait: TRANSACTION_MAX_WAIT_MS },
    );
  }
  return fn(sqlOf(db as Tx | TSql));
}

/** A note's row as `openNoteRows` reads it: the wrapped key is the note's own or its registrant's. */
export type TNoteRow = { id: string; key: string | null; ciphertext: string | null; commitment: string };

/** The SQL of a note's columns for `openNoteRows`, over `n` ("PrivateNote") and `d` ("Donor", joined on n."donorId"). */
export const NOTE_COLUMNS_SQL = `coalesce(n."wrappedKey", d."wrappedKey") AS key, n.ciphertext, n.commitment`;

function noteRows(ids: string[], sql: TSql): Promise<TNoteRow[]> {
  // A registrant's notes are under the registrant's key; others have their own.
  return sql.query<TNoteRow>(
    `SELECT n.id::text AS id, ${NOTE_COLUMNS_SQL}
       FROM "PrivateNote" n LEFT JOIN "Donor" d ON d.id = n."donorId"
      WHERE n.id = ANY($1::uuid[])`,
    [ids],
  );
}

/**
 * The texts of notes read (with the data-key lock held until they are opened), checked against
 * their commitments; null for a note erased or not matching what the ledger committed to.
 */
export function openNoteRows(rows: TNoteRow[], keys: TKeyRing = dataKeyRing()): Map<string, string | null> {
  const out = new Map<string, string | null>();
  // The key folder looked at once for all of them (it was a stat per note): nothing yields below.
  const ring = ringAsOfNow(keys);
  for (const row of rows) {
    if (!row.key || !row.ciphertext) {
      out.set(row.id, null);
      continue;
    }
    try {
      const stored = ZStoredNoteSchema.parse(
        decryptJson({ ring, wrappedKey: row.key, ciphertext: row.ciphertext, context: noteContext(row.id) }),
      );
      const value = { noteId: row.id, text: stored.text };
      out.set(
        row.id,
        verifyCommitment({ salt: stored.salt, value, commitment: row.commitment }) ? stored.text : null,
      );
    } catch {
      out.set(row.id, null);
    }
  }
  return out;
}

/**
 * Shreds one note (a refusal's note, an out-of-sequence reason, a custody step's free text): its
 * own key and ciphertext are cleared; the commitment on the ledger stays and verifies.
 */
export async function erasePrivateNote({ tx, id }: { tx: Tx; id: string }): Promise<void> {
  await tx.privateNote.update({ where: { id }, data: { ciphertext: null, wrappedKey: null } });
}

/** Shreds every note about this registrant (inside the erasure's transaction). */
export async function erasePrivateNotes({ tx, donorId }: { tx: Tx; donorId: string }): Promise<void> {
  await tx.privateNote.updateMany({ where: { donorId }, data: { ciphertext: null } });
}

/**
 * The stated reason of each `personal_data.accessed` event, as staff wrote it: version 1 events
 * carry it in the payload; version 2 events commit to a note, read here ("note erased" once the
 * person was erased).
 */
export async function accessReasonTexts(
  events: Array<{ id: string; payload: unknown }>,
  ring?: TKeyRing,
): Promise<Map<string, string>> {
  const noteOf = (p: unknown) => (p as { note?: { id?: string } }).note?.id;
  const ids = events.flatMap((e) => {
    const id = noteOf(e.payload);
    return id ? [id] : [];
  });
  const notes = ids.length > 0 ? await readPrivateNotes({ ids, ...(ring ? { ring } : {}) }) : new Map();
  return new Map(
    events.map((e) => {
      const p = e.payload as { reason?: string; reasonCode?: string };
      if (typeof p.reason === "string") return [e.id, p.reason];
      const label = p.reasonCode ? (ACCESS_REASON_LABELS as Record<string, string>)[p.reasonCode] : undefined;
      const id = noteOf(e.payload);
      const text = id ? notes.get(id) : undefined;
      return [e.id, `${label ?? p.reasonCode ?? "Reason"}: ${text ?? "(note erased)"}`];
    }),
  );
}

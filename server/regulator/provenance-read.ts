import "server-only";

import { NOTE_COLUMNS_SQL, openNoteRows, type TNoteRow } from "@/server/consent/private-note";
import { stepDetailsWithNotes } from "@/server/custody/custody-note-texts";
import { prisma as defaultDb, sqlFor, type TSql } from "@/server/db";
import { AppError } from "@/server/errors";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { SIGNING_KEYS_SUBJECT } from "@/server/ledger/key-history";
import {
  EVENT_COLUMNS_SQL,
  type TAnchorBatchRow,
  type TAnchoredEventRow,
  withProofs,
} from "@/server/ledger/read-events";
import type { TBundleEvent } from "@/server/ledger/verify-events";
import { isSignatureRecord } from "@/server/passkey/signature-views";

/** The ledger subjects an organ's provenance spans: the organ, its donor case, the consent relied on, match runs and offers. */
export async function provenanceSubjects({
  organId,
  db = defaultDb,
}: {
  organId: string;
  db?: PrismaClient | TSql;
}) {
  const sql = sqlFor(db);
  // One statement: the organ, its case, the consent versions relied on, and the subjects of events
  // that name the organ (match runs, offers…) whatever subject they were filed under: containment,
  // so the GIN index on payload answers it (->> read every event's payload).
  const [row] = await sql.query<{
    id: string;
    din: string;
    type: string;
    status: string;
    donorCaseId: string;
    donorCaseCode: string;
    versions: Array<{ id: string; donorId: string | null }> | null;
    naming: Array<{ subjectType: string; subjectId: string }> | null;
  }>(
    `SELECT o.id::text AS id, o.din, o.type::text AS type, o.status::text AS status,
            c.id::text AS "donorCaseId", c.code AS "donorCaseCode",
            (SELECT json_agg(json_build_object('id', v.id::text, 'donorId', v."donorId"::text))
               FROM "ConsentVersion" v
              WHERE v.id = c."consentVersionId" OR v."donorCaseId" = c.id) AS versions,
            (SELECT json_agg(DISTINCT jsonb_build_object('subjectType', e."subjectType", 'subjectId', e."subjectId"))
               FROM "LedgerEvent" e
              WHERE e.payload @> jsonb_build_object('organId', o.id::text)) AS naming
       FROM "Organ" o JOIN "DonorCase" c ON c.id = o."donorCaseId"
      WHERE o.id = $1::uuid`,
    [organId],
  );
  if (!row) throw new AppError("NOT_FOUND", `no organ ${organId}`);
  const organ = {
    id: row.id,
    din: row.din,
    type: row.type,
    status: row.status,
    donorCase: { id: row.donorCaseId, code: row.donorCaseCode },
  };
  const subjects = new Map<string, { subjectType: string; subjectId: string }>();
  const add = (subjectType: string, subjectId: string) =>
    subjects.set(`${subjectType}:${subjectId}`, { subjectType, subjectId });
  add("organ", organ.id);
  add("donor_case", organ.donorCase.id);
  const consentVersionIds = new Set<string>();
  for (const v of row.versions ?? []) {
    consentVersionIds.add(v.id);
    if (v.donorId) add("donor", v.donorId);
  }
  for (const s of row.naming ?? []) add(s.subjectType, s.subjectId);
  return { organ, subjects: [...subjects.values()], consentVersionIds };
}

const isKeyHistory = (s: { subjectType: string; subjectId: string }) =>
  s.subjectType === SIGNING_KEYS_SUBJECT.type && s.subjectId === SIGNING_KEYS_SUBJECT.id;

/**
 * One statement for what took seven through Prisma: the subjects' events, the portal's key history,
 * and the history of every passkey that signed one of them (after them, as `withSignerKeys` adds
 * it), each with its leaf and batch (with the block the page shows), and for a custody step its
 * working row and the columns of its encrypted note.
 */
const EVENTS_SQL = `
  WITH subject AS (
    SELECT * FROM unnest($1::text[], $2::text[]) AS s("subjectType", "subjectId")
  ), own AS (
    SELECT e.*, 0 AS part FROM "LedgerEvent" e JOIN subject USING ("subjectType", "subjectId")
  ), signer AS (
    SELECT e.*, 1 AS part FROM "LedgerEvent" e
     WHERE e."subjectType" = 'passkey'
       AND e."subjectId" IN (SELECT o.payload->>'passkeyId' FROM own o
                              WHERE o.type = 'signature.recorded' AND jsonb_typeof(o.payload->'passkeyId') = 'string')
       AND e."subjectId" NOT IN (SELECT o."subjectId" FROM own o WHERE o."subjectType" = 'passkey')
  )
  SELECT ${EVENT_COLUMNS_SQL},
         l."batchId", l."leafIndex", l.hash AS "leafHash",
         b.root, b."previousRoot", b."eventCount", b.status::text AS status, b."txHash",
         b."blockNumber"::text AS "blockNumber", b."leafFormat",
         c.id::text AS "custodyId", c.details, c."noteId"::text AS "noteId", ${NOTE_COLUMNS_SQL}
    FROM (SELECT * FROM own UNION ALL SELECT * FROM signer) e
    LEFT JOIN "AnchorLeaf" l ON l."eventId" = e.id
    LEFT JOIN "AnchorBatch" b ON b.id = l."batchId"
    LEFT JOIN "CustodyEvent" c ON e.type = 'custody.recorded'
          AND c.id = CASE WHEN e.payload->>'custodyEventId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                          THEN (e.payload->>'custodyEventId')::uuid END
    LEFT JOIN "PrivateNote" n ON n.id = c."noteId"
    LEFT JOIN "Donor" d ON d.id = n."donorId"
   ORDER BY e.part, e.position`;

type TEventsRow = Omit<TAnchoredEventRow, "anchorLeaf"> & {
  batchId: number | null;
  leafIndex: number;
  leafHash: string | null;
  blockNumber: string | null;
  custodyId: string | null;
  details: unknown;
  noteId: string | null;
} & Omit<TAnchorBatchRow, "id"> &
  Omit<TNoteRow, "id">;

/** The batch columns the page shows beside a step. */
export type TBatchInfo = { txHash: string | null; blockNumber: string | null; status: string };

/**
 * Events shown as steps. Donor chains hold other things too (access records, other versions): only
 * the consent relied on. Signatures are shown on the decision they sign; passkey enrolments are the
 * signers' own chains.
 */
function shownSteps(events: TBundleEvent[], consentVersionIds: Set<string>): TBundleEvent[] {
  return events.filter((e) => {
    if (e.subjectType === "passkey" || isSignatureRecord(e.type)) return false;
    if (e.subjectType !== "donor") return true;
    const id = (e.payload as { consentVersionId?: string }).consentVersionId;
    return id !== undefined && consentVersionIds.has(id);
  });
}

/**
 * Everything an organ's provenance page reads, in direct SQL, read this time (nothing trusted
 * from a previous read but the trees of batches whose recorded root is unchanged): the subjects, their
 * events with proofs, the portal's key history and the signers' passkeys, each custody step's details
 * with its free text, and the names of the people and organisations the steps name. Run it holding
 * the data-key lock (`readingUnderDataKeys`): the notes are opened before it is released.
 */
export async function readOrganProvenance(sql: TSql, organId: string) {
  const { organ, subjects, consentVersionIds } = await provenanceSubjects({ organId, db: sql });
  const wanted = [
    ...subjects.filter((s) => !isKeyHistory(s)),
    { subjectType: SIGNING_KEYS_SUBJECT.type, subjectId: SIGNING_KEYS_SUBJECT.id },
  ];
  const rows = await sql.query<TEventsRow>(EVENTS_SQL, [
    wanted.map((s) => s.subjectType),
    wanted.map((s) => s.subjectId),
  ]);
  const batchRows = new Map<number, TAnchorBatchRow>();
  const batchInfo = new Map<number, TBatchInfo>();
  const custody = new Map<
    string,
    { id: string; details: unknown; noteId: string | null; note: TNoteRow | null }
  >();
  const eventRows = rows.map((r): TAnchoredEventRow => {
    if (r.batchId !== null && !batchRows.has(r.batchId)) {
      const { root, previousRoot, eventCount, txHash, status, leafFormat, blockNumber } = r;
      batchRows.set(r.batchId, { id: r.batchId, root, previousRoot, eventCount, txHash, status, leafFormat });
      batchInfo.set(r.batchId, { txHash, blockNumber, status });
    }
    if (r.custodyId !== null) {
      const { noteId, key, ciphertext, commitment } = r;
      const note =
        noteId !== null && commitment !== null ? { id: noteId, key, ciphertext, commitment } : null;
      custody.set(r.custodyId, { id: r.custodyId, details: r.details, noteId: r.noteId, note });
    }
    return {
      ...r,
      anchorLeaf:
        r.batchId === null ? null : { batchId: r.batchId, leafIndex: r.leafIndex, hash: r.leafHash },
    };
  });
  const read = await withProofs(
    sql,
    eventRows,
    [...batchRows.values()].sort((a, b) => a.id - b.id),
  );
  const signingKeys = read.events.filter(isKeyHistory);
  const events = read.events.filter((e) => !isKeyHistory(e));
  const shown = shownSteps(events, consentVersionIds);

  // Custody details as recorded (the operational row the ledger event commits to), free text opened
  // from each step's encrypted note (the row keeps none).
  const custodyIds = new Set(
    shown.flatMap((e) => {
      const id =
        e.type === "custody.recorded" ? (e.payload as { custodyEventId?: string }).custodyEventId : undefined;
      return id ? [id] : [];
    }),
  );
  const custodyRows = [...custody.values()].filter((r) => custodyIds.has(r.id));
  const notes = openNoteRows(custodyRows.flatMap((r) => (r.note ? [r.note] : [])));
  const custodyDetails = stepDetailsWithNotes(custodyRows, notes);

  const ids = new Set<string>();
  for (const e of events.filter((x) => isSignatureRecord(x.type)))
    if (e.actor.userId) ids.add(e.actor.userId);
  for (const e of shown) {
    if (e.actor.userId) ids.add(e.actor.userId);
    if (e.actor.orgId) ids.add(e.actor.orgId);
  }
  for (const d of custodyDetails.values()) {
    if (typeof d.toUserId === "string") ids.add(d.toUserId);
    if (typeof d.toOrgId === "string") ids.add(d.toOrgId);
  }
  const uuids = [...ids].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const nameRows = uuids.length
    ? await sql.query<{ id: string; name: string }>(
        `SELECT id::text AS id, name FROM "User" WHERE id = ANY($1::uuid[])
         UNION ALL SELECT id::text AS id, name FROM "Organisation" WHERE id = ANY($1::uuid[])`,
        [uuids],
      )
    : [];
  return {
    organ,
    subjects,
    events,
    batches: read.batches,
    batchInfo,
    signingKeys,
    shown,
    custodyDetails,
    names: new Map(nameRows.map((r) => [r.id, r.name])),
  };
}

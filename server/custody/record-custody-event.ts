import "server-only";

import { randomUUID } from "node:crypto";
import type { TSessionUser } from "@/server/auth/roles";
import { withSqlTransactionHoldingDataKeys } from "@/server/consent/key-lock";
import { recordPrivateNote } from "@/server/consent/private-note";
import { directSql, type TSql } from "@/server/db";
import { AppError } from "@/server/errors";
import type { OrganStatus } from "@/server/generated/prisma/client";
import {
  appendEvent,
  subjectLockKey,
  subjectLockSql,
  subjectTail,
  subjectTailSql,
  type TSubjectTail,
} from "@/server/ledger/append-event";
import { publishLive } from "@/server/live/publish";
import { requestDecisionSignature, type TSignatureRequest } from "@/server/passkey/decision-signature";
import { ZCustodyStateSchema } from "./custody-event-schema";
import { splitCustodyDetails } from "./custody-ledger-details";
import {
  CUSTODY_LIVE_EVENT,
  EXCURSION_ALERT_EVENT,
  loadOrganViews,
  type TCustodyEventView,
  type TOrganInFlight,
  toEventView,
} from "./custody-views";
import { decideStep } from "./decide-step";
import { mayFollowOrgan, organRooms, type TOrganParties } from "./organ-access";
import { stepExcursions } from "./policy/assess-step";

export type TRecordCustodyEventInput = {
  organId: string;
  /** Made by the client once per submission: a retry with the same id records nothing new. */
  clientEventId: string;
  kind: string;
  reportedAt: Date;
  details: Record<string, unknown>;
  actor: TSessionUser;
  /** Server time (tests); defaults to now. */
  now?: Date;
};

export type TRecordCustodyEventResult = {
  event: TCustodyEventView;
  organ: TOrganInFlight;
  /** True when the submission had already been recorded (a retry); nothing new was written. */
  replayed: boolean;
  /** Accepted, but worth a look (e.g. a temperature outside the cold-storage range). */
  warnings: string[];
  /** A hand-off offered or accepted, or a discard: the person signs its event hash next (or the fallback is recorded). */
  signature: TSignatureRequest | null;
};

type TLockedOrgan = {
  id: string;
  type: string;
  status: OrganStatus;
  custodyState: unknown;
  destinationOrgId: string | null;
  custodianOrgId: string | null;
  custodianUserId: string | null;
  opoId: string;
  din: string;
  /** From the donor case's donor data: DCD donors have warm ischemia recorded at cross-clamp. */
  dcd: string | null;
  donationType: string | null;
  lastSequence: number | null;
  /** The step already recorded under this submission's id (a retry), if any. */
  retriedStepId: string | null;
  /** The organ's ledger subject's last event, read under its lock. */
  ledgerTail: TSubjectTail;
};

/**
 * Locks the organ row (steps of one organ are decided one at a time, in sequence order) and reads
 * what the decision needs, with its last step's sequence and whether this submission was recorded
 * before. Also takes the organ's ledger subject lock (after the row, in the order appendEvent would)
 * and reads the subject's last event, so the append needs no statement of its own for them.
 */
async function lockOrgan(sql: TSql, organId: string, clientEventId: string): Promise<TLockedOrgan> {
  // The subquery's FOR UPDATE locks the row before the outer select list takes the subject lock.
  const [row] = await sql.query<Omit<TLockedOrgan, "lastSequence" | "retriedStepId" | "ledgerTail">>(
    `SELECT locked.*, ${subjectLockSql("$2")} AS "subjectLock" FROM (
       SELECT o.id::text AS id, o.type::text AS type, o.status::text AS status, o."custodyState",
              o."destinationOrgId"::text AS "destinationOrgId", o."custodianOrgId"::text AS "custodianOrgId",
              o."custodianUserId"::text AS "custodianUserId", d."opoId"::text AS "opoId", o.din,
              d.donor->>'dcd' AS dcd, d.donor->>'donationType' AS "donationType"
         FROM "Organ" o JOIN "DonorCase" d ON d.id = o."donorCaseId"
        WHERE o.id = $1::uuid
          FOR UPDATE OF o) AS locked`,
    [organId, subjectLockKey(organSubject(organId))],
  );
  if (!row) throw new AppError("NOT_FOUND", "No organ with this id; check the label and try again.");
  // A separate statement, so it sees every step and ledger event committed while this one waited.
  const [last] = await sql.query<{
    lastSequence: number | null;
    retriedStepId: string | null;
    tail: unknown;
  }>(
    `SELECT (SELECT max(sequence) FROM "CustodyEvent" WHERE "organId" = $1::uuid) AS "lastSequence",
            (SELECT id::text FROM "CustodyEvent" WHERE "organId" = $1::uuid AND "clientEventId" = $2) AS "retriedStepId",
            ${subjectTailSql("'organ'", "$1::text")} AS tail`,
    [organId, clientEventId],
  );
  return {
    ...row,
    lastSequence: last?.lastSequence ?? null,
    retriedStepId: last?.retriedStepId ?? null,
    ledgerTail: subjectTail(last?.tail),
  };
}

/**
 * Whether the actor has a part in the organ: may follow it (its OPO, destination centre, holder, a
 * courier organisation that carried it, a regulator) or is the receiver of its pending hand-off.
 * The role rules then decide which steps each may record.
 */
async function mayRecordOn(sql: TSql, actor: TSessionUser, organ: TLockedOrgan): Promise<boolean> {
  const parties = {
    opoId: organ.opoId,
    destinationOrgId: organ.destinationOrgId,
    custodianOrgId: organ.custodianOrgId,
    custodianUserId: organ.custodianUserId,
  };
  if (mayFollowOrgan(actor, parties)) return true;
  const to = ZCustodyStateSchema.safeParse(organ.custodyState).data?.pendingHandoff?.to;
  if (to && (to.userId === actor.id || (!!actor.organisationId && to.orgId === actor.organisationId)))
    return true;
  if (actor.role !== "COURIER" || !actor.organisationId) return false;
  // A courier organisation that carried it earlier may still follow it (and is told why it may not act).
  const [carried] = await sql.query<{ carried: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "CustodyEvent" WHERE "organId" = $1::uuid AND "actorOrgId" = $2) AS carried`,
    [organ.id, actor.organisationId],
  );
  return carried?.carried === true;
}

/** The ledger subject an organ's custody steps are filed under. */
const organSubject = (organId: string) => ({ type: "organ", id: organId });

/** A step as stored, read back for a retried submission. */
async function readStep(sql: TSql, id: string) {
  const [row] = await sql.query<{
    id: string;
    organId: string;
    sequence: number;
    kind: string;
    reportedAt: Date;
    recordedAt: Date;
    actorUserId: string;
    actorOrgId: string | null;
    details: unknown;
    ledgerEventId: string;
  }>(
    `SELECT id::text AS id, "organId"::text AS "organId", sequence, kind, "reportedAt", "recordedAt",
            "actorUserId", "actorOrgId", details, "ledgerEventId"::text AS "ledgerEventId"
       FROM "CustodyEvent" WHERE id = $1::uuid`,
    [id],
  );
  if (!row) throw new Error(`custody step ${id} vanished under the organ's lock`);
  return row;
}

/**
 * Records one step of an organ's custody journey (cross-clamp, recovery, packaging, hand-off,
 * checkpoint, arrival, transplant, discard…) in one transaction: the organ row is locked, a
 * retried submission returns the step already recorded, the pure state machine and the role rules
 * decide whether the step is allowed (a refusal is an AppError a courier can act on), the step gets
 * the organ's next sequence number, the organ's state and custodian are updated and the ledger
 * event `custody.recorded` is appended. After the commit, the step is pushed live to the rooms of
 * the recovering OPO, the destination centre and the holders before and after.
 */
export async function recordCustodyEvent(
  input: TRecordCustodyEventInput,
): Promise<TRecordCustodyEventResult> {
  // Direct SQL, not Prisma: at hundreds of steps a second Prisma's per-statement work was most of
  // the cost of a step (docs/performance.md).
  // A step's note wraps a new data key: the key lock (taken with BEGIN) before the organ's row lock,
  // as every writer takes it (an erasure holds it exclusively, then locks the organ).
  const result = await withSqlTransactionHoldingDataKeys(async (tx) => {
    const organ = await lockOrgan(tx, input.organId, input.clientEventId);
    // Someone with no part in this organ is refused before its state is consulted, so the refusal
    // says nothing about it (not its phase, not when its last step was).
    if (!(await mayRecordOn(tx, input.actor, organ)))
      throw new AppError(
        "FORBIDDEN",
        "You have no part in this organ's custody: only its holder, the receiver of a hand-off, its OPO and its destination centre record its steps.",
      );
    // Read once the organ is locked: steps are timed in the order they get their sequence.
    const now = input.now ?? new Date();
    const existing = organ.retriedStepId ? await readStep(tx, organ.retriedStepId) : null;
    if (existing) {
      if (existing.kind !== input.kind || existing.actorUserId !== input.actor.id) {
        throw new AppError(
          "CONFLICT",
          "This submission id was already used for another step; submit it as a new step.",
        );
      }
      return {
        event: toEventView(existing),
        replayed: true,
        rooms: [] as string[],
        warnings: [] as string[],
        signature: null,
      };
    }

    const parties: TOrganParties = {
      opoId: organ.opoId,
      destinationOrgId: organ.destinationOrgId,
      custodianOrgId: organ.custodianOrgId,
      custodianUserId: organ.custodianUserId,
    };
    const receiver = await resolveReceiver(tx, input.details);
    const step = decideStep({
      state: organ.custodyState,
      parties,
      organType: organ.type,
      donationType: organ.dcd === "true" || organ.donationType === "DCD" ? "DCD" : "DBD",
      din: organ.din,
      clientEventId: input.clientEventId,
      kind: input.kind,
      reportedAt: input.reportedAt,
      details: { ...withoutEmail(input.details), ...receiver },
      actor: input.actor,
      now,
    });

    const id = randomUUID();
    const sequence = (organ.lastSequence ?? 0) + 1;
    // Free text (a place's name, a device's label, a reason) stays off the ledger and out of the
    // working row (whose old versions outlive an overwrite until vacuum): an erasable, encrypted note.
    const split = splitCustodyDetails(step.details);
    const note = split.freeText
      ? await recordPrivateNote({ tx, text: JSON.stringify(split.freeText) })
      : null;
    const recorded = {
      type: "custody.recorded" as const,
      payload: {
        custodyEventId: id,
        organId: input.organId,
        sequence,
        kind: input.kind,
        details: split.ledger,
        ...(note ? { note } : {}),
      },
    };
    const actor = { userId: input.actor.id, role: input.actor.role, orgId: input.actor.organisationId };
    const ledger = await appendEvent({
      tx,
      subject: organSubject(input.organId),
      ...recorded,
      actor,
      reportedTime: input.reportedAt,
      now,
      held: { tail: organ.ledgerTail },
    });
    const signature = await requestDecisionSignature({ tx, event: ledger, decision: recorded, actor, now });
    const row = {
      id,
      organId: input.organId,
      sequence,
      kind: input.kind,
      reportedAt: input.reportedAt,
      recordedAt: ledger.serverTime,
      actorUserId: input.actor.id,
      actorOrgId: input.actor.organisationId,
      details: split.ledger,
      ledgerEventId: ledger.id,
    };
    // The step and the organ's new state in one statement. The outcome's reason is the step's
    // note; the state keeps no text of it.
    await tx.exec(
      `WITH step AS (
         INSERT INTO "CustodyEvent" (id, "organId", sequence, "clientEventId", kind, "reportedAt", "recordedAt",
                                     "actorUserId", "actorOrgId", details, "noteId", "ledgerEventId")
         VALUES ($1::uuid, $2::uuid, $3::int, $4, $5, $6::timestamptz, $7::timestamptz, $8, $9, $10::jsonb,
                 $11::uuid, $12::uuid))
       UPDATE "Organ"
          SET "custodyState" = $13::jsonb, "custodianOrgId" = $14::uuid, "custodianUserId" = $15::uuid,
              status = $16::"OrganStatus", "crossClampAt" = $17::timestamptz AT TIME ZONE 'UTC',
              "reperfusionAt" = $18::timestamptz AT TIME ZONE 'UTC', "updatedAt" = $19::timestamptz AT TIME ZONE 'UTC'
        WHERE id = $2::uuid`,
      [
        id,
        input.organId,
        sequence,
        input.clientEventId,
        input.kind,
        input.reportedAt.toISOString(),
        ledger.serverTime.toISOString(),
        input.actor.id,
        input.actor.organisationId,
        JSON.stringify(split.ledger),
        note?.id ?? null,
        ledger.id,
        JSON.stringify({ ...step.state, outcomeReason: null }),
        step.custodian.orgId,
        step.custodian.userId,
        step.status ?? organ.status,
        step.crossClampAt?.toISOString() ?? null,
        step.reperfusionAt?.toISOString() ?? null,
        new Date().toISOString(),
      ],
    );
    const after: TOrganParties = {
      ...parties,
      custodianOrgId: step.custodian.orgId,
      custodianUserId: step.custodian.userId,
    };
    const rooms = organRooms(after, parties.custodianOrgId);
    if (receiver.toOrgId) rooms.push(...organRooms({ ...after, custodianOrgId: receiver.toOrgId }));
    return {
      // The step as recorded, text included, for the one who recorded it and the live rooms.
      event: { ...toEventView(row), details: step.details as Record<string, unknown> },
      replayed: false,
      rooms: [...new Set(rooms)],
      warnings: step.warnings,
      signature,
    };
  });

  // Read after the commit, outside the lock: the organ as it is now (possibly already a step later).
  // The step just recorded is known with its text: its note is not opened again.
  const known = new Map(result.replayed ? [] : [[result.event.id, result.event.details]]);
  const [organ] = await loadOrganViews([input.organId], directSql(), known);
  if (!organ) throw new AppError("NOT_FOUND", "No organ with this id; check the label and try again.");
  if (!result.replayed) {
    publishLive(result.rooms, CUSTODY_LIVE_EVENT, { event: result.event, organ });
    const excursions = stepExcursions(result.event.details, organ.type);
    if (excursions.length) {
      publishLive(result.rooms, EXCURSION_ALERT_EVENT, {
        organId: organ.id,
        din: organ.din,
        organType: organ.type,
        sequence: result.event.sequence,
        message: `${organ.type.toLowerCase()} ${organ.din}, step #${result.event.sequence}: ${excursions.join(" ")}`,
        at: result.event.reportedAt,
      });
    }
  }
  return {
    event: result.event,
    organ,
    replayed: result.replayed,
    warnings: result.warnings,
    signature: result.signature,
  };
}

const withoutEmail = ({ toEmail: _, ...rest }: Record<string, unknown>) => rest;

/** Roles that carry organs, so can accept (or decline) a hand-off. */
const RECEIVER_ROLES = new Set(["OPO_COORDINATOR", "CENTER_COORDINATOR", "COURIER"]);

/**
 * A hand-off names its receiver by e-mail in the form; the step records the user and organisation
 * ids. Only someone who can answer it may be named: a courier or coordinator of an organisation.
 * A regulator, administrator or donor cannot accept custody, and a hand-off offered to one would
 * leave the organ stuck until a discard. The same answer for an unknown e-mail as for such a user.
 */
async function resolveReceiver(
  sql: TSql,
  details: Record<string, unknown>,
): Promise<{ toUserId?: string; toOrgId?: string | null }> {
  const email = typeof details.toEmail === "string" ? details.toEmail.trim().toLowerCase() : null;
  if (!email) return {};
  const [user] = await sql.query<{ id: string; organisationId: string | null; role: string }>(
    `SELECT id::text AS id, "organisationId"::text AS "organisationId", role::text AS role
       FROM "User" WHERE email = $1`,
    [email],
  );
  if (!user || !RECEIVER_ROLES.has(user.role) || !user.organisationId) {
    const rule = "the receiver must be a courier or coordinator with a portal account";
    throw new AppError("BAD_REQUEST", `details.toEmail: ${rule}; no such person has the e-mail ${email}.`, {
      "details.toEmail": rule,
    });
  }
  return { toUserId: user.id, toOrgId: user.organisationId };
}

import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { prisma } from "@/server/db";
import { AppError } from "@/server/errors";
import { signatureViews, type TStepSignature } from "@/server/passkey/signature-views";
import { stepDetailsWithText } from "./custody-note-texts";
import { loadOrganViews, type TCustodyEventView, type TOrganInFlight, toEventView } from "./custody-views";
import { organScopeFor } from "./organ-access";

export type TOrganTimeline = {
  organ: TOrganInFlight;
  events: Array<
    TCustodyEventView & {
      /** The step shows free text that this user (its recorder's organisation, the organ's OPO) may erase. */
      mayEraseNote: boolean;
      /**
       * The step's free text is in its ledger event (payload version 1, recorded before notes were
       * kept off the ledger): the permanent ledger is never rewritten, so it cannot be erased.
       * Set for the users who may erase other steps' notes, so the page can say why it offers none.
       */
      noteOnLedger: boolean;
      actorName: string | null;
      actorOrgName: string | null;
      /** A hand-off or discard: signed with a passkey, the recorded fallback, or awaiting (21 CFR 11.50). */
      signature: TStepSignature | null;
    }
  >;
  /** Where the organ's story continues: its donor case and latest match run, for links. */
  related: { donorCaseId: string; latestMatchRunId: string | null };
};

/** Whether a step still shows free text (opened from its note, or in an older row's details). */
function hasFreeText(details: Record<string, unknown> | undefined): boolean {
  const d = details ?? {};
  const loc = d.location as { label?: unknown } | string | undefined;
  const dev = d.deviceReading as { deviceId?: unknown } | string | undefined;
  return (
    typeof loc === "string" ||
    typeof (loc as { label?: unknown } | undefined)?.label === "string" ||
    typeof dev === "string" ||
    typeof (dev as { deviceId?: unknown } | undefined)?.deviceId === "string" ||
    typeof d.reason === "string"
  );
}

/** The rule of `eraseCustodyNote`: the organisation that recorded the step, or the organ's OPO. */
function mayErase(user: TSessionUser, actorOrgId: string | null, opoId: string): boolean {
  const org = user.organisationId;
  if (!org || !["OPO_COORDINATOR", "CENTER_COORDINATOR", "COURIER"].includes(user.role)) return false;
  return actorOrgId === org || opoId === org;
}

/**
 * One organ's whole journey, oldest first, with who recorded each step. An organ the user may not
 * follow is reported as not found, so its existence is not disclosed.
 */
export async function getOrganTimeline(opts: {
  user: TSessionUser;
  organId: string;
  db?: typeof prisma;
}): Promise<TOrganTimeline> {
  const db = opts.db ?? prisma;
  const visible = await db.organ.findFirst({
    where: { AND: [{ id: opts.organId }, organScopeFor(opts.user)] },
    select: {
      id: true,
      donorCaseId: true,
      matchRuns: { select: { id: true }, orderBy: { createdAt: "desc" }, take: 1 },
    },
  });
  if (!visible) throw new AppError("NOT_FOUND", "No organ with this id is visible to you.");
  const [[organ], rows, signatureRecords] = await Promise.all([
    loadOrganViews([opts.organId], db),
    db.custodyEvent.findMany({ where: { organId: opts.organId }, orderBy: { sequence: "asc" } }),
    db.ledgerEvent.findMany({
      where: {
        subjectType: "organ",
        subjectId: opts.organId,
        type: { in: ["signature.recorded", "signature.not_signed"] },
      },
      select: { id: true, type: true, payload: true, serverTime: true, actorUserId: true },
    }),
  ]);
  // Which steps' events carry their text themselves (version 1): those notes cannot be erased.
  const onLedger = new Set(
    (
      await db.ledgerEvent.findMany({
        where: { id: { in: rows.map((r) => r.ledgerEventId) }, schemaVersion: 1 },
        select: { id: true },
      })
    ).map((e) => e.id),
  );
  const userIds = [
    ...new Set([
      ...rows.map((r) => r.actorUserId),
      ...signatureRecords.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])),
    ]),
  ];
  const orgIds = [...new Set(rows.map((r) => r.actorOrgId).filter((o): o is string => !!o))];
  const [users, orgs] = await Promise.all([
    db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }),
    db.organisation.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } }),
  ]);
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const details = await stepDetailsWithText(rows, db);
  const signatureOf = signatureViews({
    events: signatureRecords.map((r) => ({ ...r, actor: { userId: r.actorUserId } })),
    nameOf: (id) => userName.get(id) ?? null,
    invalid: new Set(),
    checked: false,
  });
  if (!organ) throw new AppError("NOT_FOUND", "No organ with this id is visible to you.");
  return {
    organ,
    related: { donorCaseId: visible.donorCaseId, latestMatchRunId: visible.matchRuns[0]?.id ?? null },
    events: rows.map((r) => ({
      ...toEventView(r),
      details: details.get(r.id) ?? {},
      mayEraseNote:
        hasFreeText(details.get(r.id)) &&
        !onLedger.has(r.ledgerEventId) &&
        mayErase(opts.user, r.actorOrgId, organ.opo.id),
      noteOnLedger:
        hasFreeText(details.get(r.id)) &&
        onLedger.has(r.ledgerEventId) &&
        mayErase(opts.user, r.actorOrgId, organ.opo.id),
      actorName: userName.get(r.actorUserId) ?? null,
      actorOrgName: (r.actorOrgId && orgName.get(r.actorOrgId)) || null,
      signature: signatureOf({
        id: r.ledgerEventId,
        type: "custody.recorded",
        payload: { kind: r.kind },
        serverTime: r.recordedAt,
        actor: { userId: r.actorUserId },
      }),
    })),
  };
}

import "server-only";

import { z } from "zod";
import { prisma, sqlOf, type TSql, type Tx } from "@/server/db";
import { stepDetailsWithText } from "./custody-note-texts";
import { coldIschemiaLimitMinutes } from "./ischemia-status";
import { stepExcursions } from "./policy/assess-step";

/**
 * What clients see of custody: one schema for tRPC outputs, socket payloads and the bench, with
 * times as ISO strings so the same shape crosses socket.io (plain JSON) and tRPC alike.
 */
const iso = z.string();

export const ZCustodyEventViewSchema = z.object({
  id: z.string(),
  organId: z.string(),
  sequence: z.number().int().positive(),
  kind: z.string(),
  reportedAt: iso,
  recordedAt: iso,
  actorUserId: z.string(),
  actorOrgId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ledgerEventId: z.string(),
});
export type TCustodyEventView = z.infer<typeof ZCustodyEventViewSchema>;

const ZPartySchema = z.object({ id: z.string(), name: z.string() }).nullable();

/** One organ as the dashboard row shows it. */
export const ZOrganInFlightSchema = z.object({
  id: z.string(),
  din: z.string(),
  type: z.string(),
  laterality: z.string().nullable(),
  status: z.string(),
  custodyState: z.string().nullable(),
  opo: z.object({ id: z.string(), name: z.string() }),
  destination: ZPartySchema,
  holderOrg: ZPartySchema,
  holderUser: ZPartySchema,
  crossClampAt: iso.nullable(),
  reperfusionAt: iso.nullable(),
  /** The organ type's maximum cold ischemia time (policy data), for the clock. */
  coldIschemiaLimitMinutes: z.number().nullable(),
  /** Estimated arrival, as last reported by the holder. */
  etaAt: iso.nullable(),
  lastCheckpoint: z
    .object({
      at: iso,
      location: z.string().nullable(),
      temperatureC: z.number().nullable(),
    })
    .nullable(),
  /** Temperature excursions among the organ's recorded steps (policy data judged each step). */
  excursionCount: z.number().int().min(0),
  /** The latest one, in words, for the flag on the row. */
  lastExcursion: z.object({ at: iso, sequence: z.number().int(), message: z.string() }).nullable(),
  lastSequence: z.number().int().min(0),
  /** Server time of this snapshot: clients tick the clock from here, not from their own clock. */
  serverNow: iso,
});
export type TOrganInFlight = z.infer<typeof ZOrganInFlightSchema>;

/** The live push after each recorded custody event: the event and the organ as it is now. */
export const ZCustodyLivePayloadSchema = z.object({
  event: ZCustodyEventViewSchema,
  organ: ZOrganInFlightSchema,
});
export type TCustodyLivePayload = z.infer<typeof ZCustodyLivePayloadSchema>;

export const CUSTODY_LIVE_EVENT = "custody.recorded";
export const ISCHEMIA_ALERT_EVENT = "custody.ischemia-alert";
/** Pushed to the OPO, the destination centre and the holder when a step's reading is an excursion. */
export const EXCURSION_ALERT_EVENT = "custody.excursion";

export const ZExcursionAlertSchema = z.object({
  organId: z.string(),
  din: z.string(),
  organType: z.string(),
  sequence: z.number().int(),
  message: z.string(),
  at: iso,
});
export type TExcursionAlert = z.infer<typeof ZExcursionAlertSchema>;

type TEventRow = {
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
};

export function toEventView(row: TEventRow): TCustodyEventView {
  return {
    id: row.id,
    organId: row.organId,
    sequence: row.sequence,
    kind: row.kind,
    reportedAt: row.reportedAt.toISOString(),
    recordedAt: row.recordedAt.toISOString(),
    actorUserId: row.actorUserId,
    actorOrgId: row.actorOrgId,
    details: (row.details ?? {}) as Record<string, unknown>,
    ledgerEventId: row.ledgerEventId,
  };
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : null);

/** A location in details may be text or { name, lat, lng }: show the name or the coordinates. */
function locationText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const name = str(o.name) ?? str(o.label);
    if (name) return name;
    const lat = num(o.lat ?? o.latitude);
    const lng = num(o.lng ?? o.lon ?? o.longitude);
    if (lat !== null && lng !== null) return `${lat.toFixed(4)}, ${lng.toFixed(4)}`;
  }
  return null;
}

/**
 * Display names of organisations and people, cached for a minute: every live push names the
 * holder and the destination, and names change rarely (a stale name for a minute is harmless).
 */
type TNameCache = Map<string, { name: string; until: number }>;
const orgNames: TNameCache = new Map();
const userNames: TNameCache = new Map();
const NAME_TTL_MS = 60_000;

async function cachedNames(
  cache: TNameCache,
  ids: string[],
  fetch: (ids: string[]) => Promise<Array<{ id: string; name: string }>>,
): Promise<Array<{ id: string; name: string }>> {
  const now = Date.now();
  const missing = ids.filter((id) => (cache.get(id)?.until ?? 0) < now);
  if (missing.length) {
    if (cache.size > 10_000) cache.clear();
    for (const row of await fetch(missing)) cache.set(row.id, { name: row.name, until: now + NAME_TTL_MS });
  }
  return ids.flatMap((id) => {
    const hit = cache.get(id);
    return hit ? [{ id, name: hit.name }] : [];
  });
}

/** How far back a single organ's row looks for its last checkpoint and reported arrival. */
const RECENT_EVENTS = 20;

type TOrganViewRow = {
  id: string;
  din: string;
  type: string;
  laterality: string | null;
  status: string;
  custodyState: unknown;
  destinationOrgId: string | null;
  custodianOrgId: string | null;
  custodianUserId: string | null;
  crossClampAt: Date | null;
  reperfusionAt: Date | null;
  opoId: string;
};

/** A step as the organs' statement aggregates it (JSON: its time as text). */
type TStepJson = Omit<TStepRow, "organId" | "reportedAt"> & { reportedAt: string };

type TStepRow = {
  id: string;
  organId: string;
  sequence: number;
  kind: string;
  reportedAt: Date;
  details: unknown;
  noteId: string | null;
};

/**
 * Loads organs as dashboard rows (names of parties, last checkpoint, reported arrival) with a few
 * queries for the whole set, not per organ. `known`: steps whose details, text included, the caller
 * already holds (the step it just recorded), so their notes are not opened again.
 */
export async function loadOrganViews(
  organIds: string[],
  db: Tx | typeof prisma | TSql = prisma,
  known: ReadonlyMap<string, Record<string, unknown>> = new Map(),
): Promise<TOrganInFlight[]> {
  if (organIds.length === 0) return [];
  // Plain SQL whatever the caller passes: after every recorded step this runs on the pool directly
  // (TSql), where Prisma's per-statement work was most of the cost.
  const sql = sqlOf(db as Tx | TSql);
  // One statement for the organs, their OPO and their latest steps (this runs after every recorded
  // step): enough to find the last checkpoint and the last reported ETA; for one organ (the live
  // path after each step) its recent history is enough.
  const organs = await sql.query<TOrganViewRow & { steps: TStepJson[] }>(
    `SELECT o.id::text AS id, o.din, o.type::text AS type, o.laterality::text AS laterality,
            o.status::text AS status, o."custodyState", o."destinationOrgId"::text AS "destinationOrgId",
            o."custodianOrgId"::text AS "custodianOrgId", o."custodianUserId"::text AS "custodianUserId",
            o."crossClampAt" AT TIME ZONE 'UTC' AS "crossClampAt",
            o."reperfusionAt" AT TIME ZONE 'UTC' AS "reperfusionAt", d."opoId"::text AS "opoId",
            (SELECT coalesce(json_agg(s ORDER BY s.sequence DESC), '[]'::json) FROM (
               SELECT c.id::text AS id, c.sequence, c.kind::text AS kind, c."reportedAt", c.details,
                      c."noteId"::text AS "noteId"
                 FROM "CustodyEvent" c WHERE c."organId" = o.id
                ORDER BY c.sequence DESC LIMIT $2::int) s) AS steps
       FROM "Organ" o JOIN "DonorCase" d ON d.id = o."donorCaseId"
      WHERE o.id = ANY($1::uuid[])`,
    [organIds, organIds.length === 1 ? RECENT_EVENTS : null],
  );
  const orgIds = new Set<string>();
  const userIds = new Set<string>();
  for (const o of organs) {
    orgIds.add(o.opoId);
    if (o.destinationOrgId) orgIds.add(o.destinationOrgId);
    if (o.custodianOrgId) orgIds.add(o.custodianOrgId);
    if (o.custodianUserId) userIds.add(o.custodianUserId);
  }
  const [orgRows, userRows] = await Promise.all([
    cachedNames(orgNames, [...orgIds], (ids) =>
      sql.query<{ id: string; name: string }>(
        `SELECT id::text AS id, name FROM "Organisation" WHERE id = ANY($1::uuid[])`,
        [ids],
      ),
    ),
    cachedNames(userNames, [...userIds], (ids) =>
      sql.query<{ id: string; name: string }>(
        `SELECT id::text AS id, name FROM "User" WHERE id = ANY($1::uuid[])`,
        [ids],
      ),
    ),
  ]);
  const orgName = new Map(orgRows.map((o) => [o.id, o]));
  const userName = new Map(userRows.map((u) => [u.id, u]));
  const byOrgan = new Map<string, TStepRow[]>(
    organs.map((o) => [
      o.id,
      (typeof o.steps === "string" ? (JSON.parse(o.steps) as TStepJson[]) : o.steps).map((e) => ({
        ...e,
        organId: o.id,
        reportedAt: new Date(e.reportedAt),
      })),
    ]),
  );
  const serverNow = new Date().toISOString();
  const hasPlace = (d: Record<string, unknown> | undefined) =>
    d?.location !== undefined || d?.temperatureC !== undefined;
  // A place's name is its step's note (the row keeps none): open the notes of the steps since the
  // last one with coordinates or a reading, where the last checkpoint is.
  const toOpen = organs.flatMap((o) => {
    const events = byOrgan.get(o.id) ?? [];
    const upTo = events.findIndex((e) => hasPlace(e.details as Record<string, unknown>));
    return (upTo < 0 ? events : events.slice(0, upTo + 1)).filter(
      (e) => e.noteId !== null && !known.has(e.id),
    );
  });
  const opened = await stepDetailsWithText(toOpen, db);
  const detailsOf = (e: TStepRow) =>
    known.get(e.id) ?? opened.get(e.id) ?? ((e.details ?? {}) as Record<string, unknown>);
  return organs.map((o) => {
    const events = byOrgan.get(o.id) ?? [];
    const withPlace = events.find((e) => hasPlace(detailsOf(e)));
    const d = withPlace ? detailsOf(withPlace) : {};
    const withEta = events.find((e) => str((e.details as Record<string, unknown> | null)?.etaAt));
    const state = o.custodyState as Record<string, unknown> | null;
    const flagged = events.flatMap((e) => {
      const words = stepExcursions(e.details, o.type);
      return words.length
        ? [{ at: e.reportedAt.toISOString(), sequence: e.sequence, message: words.join(" ") }]
        : [];
    });
    return {
      id: o.id,
      din: o.din,
      type: o.type,
      laterality: o.laterality,
      status: o.status,
      custodyState: str(state?.phase) ?? str(state?.state) ?? str(state?.status) ?? null,
      opo: { id: o.opoId, name: orgName.get(o.opoId)?.name ?? "" },
      destination: (o.destinationOrgId && orgName.get(o.destinationOrgId)) || null,
      holderOrg: (o.custodianOrgId && orgName.get(o.custodianOrgId)) || null,
      holderUser: (o.custodianUserId && userName.get(o.custodianUserId)) || null,
      crossClampAt: o.crossClampAt?.toISOString() ?? null,
      reperfusionAt: o.reperfusionAt?.toISOString() ?? null,
      coldIschemiaLimitMinutes: coldIschemiaLimitMinutes(o.type),
      etaAt: str((withEta?.details as Record<string, unknown> | undefined)?.etaAt),
      lastCheckpoint: withPlace
        ? {
            at: withPlace.reportedAt.toISOString(),
            location: locationText(d.location),
            temperatureC: num(d.temperatureC),
          }
        : null,
      excursionCount: flagged.length,
      lastExcursion: flagged[0] ?? null,
      lastSequence: events[0]?.sequence ?? 0,
      serverNow,
    };
  });
}

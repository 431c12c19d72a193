import type { TSignatureCheckedEvent } from "./passkey-signatures";

/**
 * Reading ledger rows for `checkPasskeySignatures` from the database: the columns it needs and
 * the row → event mapping, shared by the anchor worker, the regulator's audit and the registrant
 * history so the three read the records alike.
 */
export const SIGNATURE_RECORD_TYPES = ["signature.recorded", "signature.not_signed"];

export const CHECKED_EVENT_SELECT = {
  id: true,
  type: true,
  subjectType: true,
  subjectId: true,
  sequence: true,
  serverTime: true,
  actorUserId: true,
  payload: true,
  hash: true,
} as const;

type TCheckedEventRow = Omit<TSignatureCheckedEvent, "serverTime" | "actor"> & {
  serverTime: Date;
  actorUserId: string | null;
};

export const asCheckedEvent = (r: TCheckedEventRow): TSignatureCheckedEvent => ({
  ...r,
  serverTime: r.serverTime.toISOString(),
  actor: { userId: r.actorUserId },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A payload field that can name a ledger event or passkey (an id column), else nothing to look up. */
export const isRowId = (v: unknown): v is string => typeof v === "string" && UUID.test(v);

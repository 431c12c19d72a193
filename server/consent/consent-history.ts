import { AppError } from "@/server/errors";
import type { TConsentDecision } from "./decision-schema";

/**
 * The consent history of one registrant, as a pure fold over its events. The database keeps the
 * events (and the ledger their commitments); this decides what is in force and which changes are
 * allowed, so the rules are the same in the API, the regulator's replay and the tests.
 */
export type TConsentRecorded = {
  type: "CONSENT_RECORDED";
  version: number;
  decision: TConsentDecision;
  receiptCode: string;
  at: Date;
  /** Actor id (the donor, or the coordinator recording a family authorisation). */
  by: string;
};

export type TConsentRevoked = {
  type: "CONSENT_REVOKED";
  /** The version revoked: the one in force when the donor revoked. */
  version: number;
  at: Date;
  by: string;
};

export type TConsentEvent = TConsentRecorded | TConsentRevoked;

export type TConsentVersionStatus = "IN_FORCE" | "SUPERSEDED" | "REVOKED";

export type TConsentVersionView = TConsentRecorded & {
  status: TConsentVersionStatus;
  /** When this version stopped being in force (superseded or revoked). */
  endedAt?: Date;
};

export type TConsentHistory = {
  versions: TConsentVersionView[];
  /** The version in force, or null (none recorded, or the last one revoked). */
  current: TConsentVersionView | null;
  state: "NONE" | "IN_FORCE" | "REVOKED";
};

export const EMPTY_CONSENT_HISTORY: TConsentHistory = { versions: [], current: null, state: "NONE" };

function lastAt(history: TConsentHistory): Date | undefined {
  const last = history.versions.at(-1);
  return last ? (last.endedAt ?? last.at) : undefined;
}

/** Applies one event, refusing any the history cannot contain. Does not mutate `history`. */
export function applyConsentEvent(history: TConsentHistory, event: TConsentEvent): TConsentHistory {
  const previous = lastAt(history);
  if (previous && event.at < previous) {
    throw new AppError("CONFLICT", "consent events must be in time order");
  }
  if (event.type === "CONSENT_RECORDED") {
    const expected = history.versions.length + 1;
    if (event.version !== expected) {
      throw new AppError("CONFLICT", `expected consent version ${expected}, got ${event.version}`);
    }
    const versions = history.versions.map((v) =>
      v.status === "IN_FORCE" ? { ...v, status: "SUPERSEDED" as const, endedAt: event.at } : v,
    );
    const added: TConsentVersionView = { ...event, status: "IN_FORCE" };
    return { versions: [...versions, added], current: added, state: "IN_FORCE" };
  }
  if (!history.current) throw new AppError("PRECONDITION_FAILED", "there is no consent in force to revoke");
  if (event.version !== history.current.version) {
    throw new AppError(
      "CONFLICT",
      `version ${event.version} is not the one in force (${history.current.version})`,
    );
  }
  const versions = history.versions.map((v) =>
    v.version === event.version ? { ...v, status: "REVOKED" as const, endedAt: event.at } : v,
  );
  return { versions, current: null, state: "REVOKED" };
}

/** Rebuilds a history from its events, oldest first. */
export function replayConsentHistory(events: readonly TConsentEvent[]): TConsentHistory {
  return events.reduce(applyConsentEvent, EMPTY_CONSENT_HISTORY);
}

/**
 * The event for a new decision. A family authorisation cannot replace a first-person decision in
 * force — a person's own gift or refusal binds others (UAGA §8) — and a first-person decision always
 * replaces a family authorisation.
 */
export function recordConsentVersion({
  history,
  decision,
  receiptCode,
  at,
  by,
}: {
  history: TConsentHistory;
  decision: TConsentDecision;
  receiptCode: string;
  at: Date;
  by: string;
}): TConsentRecorded {
  if (decision.kind === "FAMILY_AUTHORISATION" && history.current?.decision.kind === "FIRST_PERSON") {
    throw new AppError(
      "CONFLICT",
      "this person has a first-person decision in force; a family authorisation cannot replace it",
      { kind: "a first-person decision is in force" },
    );
  }
  const event: TConsentRecorded = {
    type: "CONSENT_RECORDED",
    version: history.versions.length + 1,
    decision,
    receiptCode,
    at,
    by,
  };
  applyConsentEvent(history, event);
  return event;
}

/** The event revoking the decision in force; refused when nothing is in force. */
export function revokeConsent({
  history,
  at,
  by,
}: {
  history: TConsentHistory;
  at: Date;
  by: string;
}): TConsentRevoked {
  if (!history.current) throw new AppError("PRECONDITION_FAILED", "there is no consent in force to revoke");
  const event: TConsentRevoked = { type: "CONSENT_REVOKED", version: history.current.version, at, by };
  applyConsentEvent(history, event);
  return event;
}

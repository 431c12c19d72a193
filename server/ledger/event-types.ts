import { z } from "zod";

/**
 * Every ledger event type with its payload schema and version (documenso-style registry). Payloads
 * never carry personal data: ids, codes, commitments and clinical facts without identity.
 * Unknown types and invalid payloads are refused before anything is written.
 */
const id = z.string().min(1).max(200);
const hash = z.string().regex(/^0x[0-9a-f]{64}$/, "must be a 0x-prefixed 32-byte hex hash");
const organ = z.enum(["KIDNEY", "LIVER", "HEART", "LUNG", "PANCREAS", "INTESTINE"]);

export const EVENT_TYPES = {
  /** A consent version (first-person or family authorisation) was recorded; its content is committed, not stored. */
  "consent.recorded": {
    version: 1,
    payload: z.object({
      consentVersionId: id,
      version: z.number().int().positive(),
      kind: z.enum(["FIRST_PERSON", "FAMILY_AUTHORISATION"]),
      // No decision here: after erasure not even the choice may stay readable; the commitment binds it.
      commitment: hash,
      receiptCode: z.string().max(40).optional(),
    }),
  },
  /** A donor revoked their decision. */
  "consent.revoked": {
    version: 1,
    payload: z.object({ consentVersionId: id, version: z.number().int().positive(), commitment: hash }),
  },
  /** A registrant's identity and consent content were crypto-shredded (erasure). */
  "donor.erased": { version: 1, payload: z.object({ donorId: id }) },
  /** Staff read personal data: who (actor), whose record, and the stated reason. */
  "personal_data.accessed": {
    version: 1,
    payload: z.object({
      recordType: z.string().max(60),
      recordId: id.optional(),
      reasonCode: z.string().max(60).optional(),
      reason: z.string().min(3).max(500),
      found: z.boolean(),
    }),
  },
  /** A deceased-donor case was opened from a referral. */
  "donor_case.opened": {
    version: 1,
    payload: z.object({ donorCaseId: id, code: z.string().max(60), organs: z.array(organ).max(12) }),
  },
  /** A match run with its full input snapshot (pseudonymous), so it can be replayed. */
  "match_run.recorded": {
    version: 1,
    payload: z.object({
      matchRunId: id,
      organId: id,
      policy: z.object({ id: z.string().max(100), version: z.number().int() }),
      snapshotHash: hash,
      snapshot: z.unknown(),
      rankedCount: z.number().int().min(0),
      excludedCount: z.number().int().min(0),
    }),
  },
  /** A waiting-list candidate as recorded after a change: the engine's input, pseudonymous ids. */
  "candidate.recorded": {
    version: 1,
    payload: z.object({ candidateId: id, candidate: z.record(z.string(), z.unknown()) }),
  },
  "offer.sent": {
    version: 1,
    payload: z.object({
      offerId: id,
      organId: id,
      matchRunId: id,
      candidateCode: z.string().max(60),
      centerId: id,
      rank: z.number().int().positive(),
      deadline: z.string().datetime(),
    }),
  },
  "offer.answered": {
    version: 1,
    payload: z.object({
      offerId: id,
      organId: id,
      answer: z.enum(["ACCEPTED", "REFUSED"]),
      reasonCode: z.string().max(60).optional(),
      note: z.string().max(1000).optional(),
    }),
  },
  "offer.expired": { version: 1, payload: z.object({ offerId: id, organId: id }) },
  /** Another offer for the organ was accepted while this one was open. */
  "offer.withdrawn": {
    version: 1,
    payload: z.object({ offerId: id, organId: id, acceptedOfferId: id }),
  },
  "offer.bypassed": {
    version: 1,
    payload: z.object({
      offerId: id,
      organId: id,
      skippedRanks: z.array(z.number().int()),
      reason: z.string().min(3).max(1000),
    }),
  },
  /** One step of an organ's custody journey. */
  "custody.recorded": {
    version: 1,
    payload: z.object({
      custodyEventId: id,
      organId: id,
      sequence: z.number().int().positive(),
      kind: z.string().max(60),
      details: z.record(z.string(), z.unknown()),
    }),
  },
  /** Generic test/demo event, used by benchmarks and tests of the ledger itself. */
  "ledger.test": { version: 1, payload: z.record(z.string(), z.unknown()) },
} as const satisfies Record<string, { version: number; payload: z.ZodType }>;

export type TEventType = keyof typeof EVENT_TYPES;
export type TEventPayload<T extends TEventType> = z.infer<(typeof EVENT_TYPES)[T]["payload"]>;

export const isEventType = (t: string): t is TEventType => Object.hasOwn(EVENT_TYPES, t);

/** Validates a payload for a type; throws a message naming the type and the field. */
export function parsePayload<T extends TEventType>(type: T, payload: unknown): TEventPayload<T> {
  if (!isEventType(type)) throw new Error(`Unknown ledger event type "${type}"`);
  const result = EVENT_TYPES[type].payload.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`Invalid ${type} payload: ${issue?.path.join(".") || "(payload)"}: ${issue?.message}`);
  }
  return result.data as TEventPayload<T>;
}

import { z } from "zod";
import { DONOR_LAB_TEST_CODES } from "@/server/allocation/donor-labs";
import { CANDIDATE_ERASURE_REASON_CODES } from "@/server/allocation/erase-candidate-reasons";
import { ORGAN_TYPES } from "@/server/matching/organ-type";
import { SIGNATURE_MEANING_CODES } from "./signature-meaning";

/**
 * Every ledger event type with its payload schema and version (documenso-style registry). Payloads
 * never carry personal data: ids, codes, commitments and clinical facts without identity.
 * Unknown types and invalid payloads are refused before anything is written.
 */
/** An id or reference code: no spaces, so never a sentence about someone. */
const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_:.-]{0,199}$/, "must be an id (letters, digits, _ : . -)");
const hash = z.string().regex(/^0x[0-9a-f]{64}$/, "must be a 0x-prefixed 32-byte hex hash");
/** A code from a fixed vocabulary (upper case, digits, underscores): never free text. */
const code = z.string().regex(/^[A-Z][A-Z0-9_]{0,59}$/, "must be an upper-case code");
const organ = z.enum(ORGAN_TYPES);
/** Free text kept off the ledger: an encrypted, erasable `PrivateNote` and a salted commitment to it. */
const noteRef = z.object({ id: z.uuid(), commitment: hash });
/** WebAuthn bytes as the browser reports them (base64url, no padding). */
const b64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, "must be base64url (letters, digits, _ -)");
/** A raw 32-byte Ed25519 public key, base64. */
const publicKey = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, "must be a base64 Ed25519 public key");

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
      receiptCode: id.optional(),
    }),
  },
  /** A donor revoked their decision. */
  "consent.revoked": {
    version: 1,
    payload: z.object({ consentVersionId: id, version: z.number().int().positive(), commitment: hash }),
  },
  /** A registrant's identity and consent content were crypto-shredded (erasure). */
  "donor.erased": { version: 1, payload: z.object({ donorId: id }) },
  /**
   * Staff read personal data: who (actor), whose record, the reason's code, and a commitment to the
   * stated reason, whose text is an encrypted `PrivateNote` erased with the person. Version 1 carried
   * the text itself (`reason`); those events still verify (the hash covers the stored payload).
   */
  "personal_data.accessed": {
    version: 2,
    payload: z.object({
      recordType: z.enum(["donor_registration", "consent_version_fhir_export"]),
      recordId: z.uuid().optional(),
      reasonCode: code,
      note: z.object({ id: z.uuid(), commitment: hash }),
      found: z.boolean(),
    }),
  },
  /** A deceased-donor case was opened from a referral. */
  "donor_case.opened": {
    version: 1,
    payload: z.object({ donorCaseId: id, code: id, organs: z.array(organ).max(12) }),
  },
  /**
   * A match run, committed by the hash of its input snapshot (donor facts, consent, the waiting
   * list's ledger position, a salt), which is kept in the match run's row and checked by a replay.
   * Version 1 carried the snapshot itself; those events still verify and replay.
   */
  "match_run.recorded": {
    version: 2,
    payload: z.object({
      matchRunId: id,
      organId: id,
      policy: z.object({ id, version: z.number().int() }),
      snapshotHash: hash,
      rankedCount: z.number().int().min(0),
      excludedCount: z.number().int().min(0),
    }),
  },
  /**
   * A waiting-list candidate as recorded after a change: its organ list and centre, and a salted
   * commitment to the encrypted record of its clinical detail (server/allocation/candidate-record.ts).
   * Version 1 carried the engine's input itself; those events still verify and replay.
   */
  "candidate.recorded": {
    version: 2,
    payload: z.object({
      candidateId: id,
      organ,
      centreId: id,
      record: z.object({ id: z.uuid(), commitment: hash }),
    }),
  },
  /**
   * A candidate's recorded versions were crypto-shredded (erasure), with the centre's reason code;
   * their events stay and verify. Version 1 carried no reason.
   */
  "candidate.erased": {
    version: 2,
    payload: z.object({ candidateId: id, reasonCode: z.enum(CANDIDATE_ERASURE_REASON_CODES) }),
  },
  "offer.sent": {
    version: 1,
    payload: z.object({
      offerId: id,
      organId: id,
      matchRunId: id,
      candidateCode: id,
      centerId: id,
      rank: z.number().int().positive(),
      deadline: z.string().datetime(),
    }),
  },
  /**
   * A centre accepted or refused an offer; a refusal's free-text note is a `PrivateNote` the event
   * commits to (version 1 carried the text; those events still verify).
   */
  "offer.answered": {
    version: 2,
    payload: z.object({
      offerId: id,
      organId: id,
      answer: z.enum(["ACCEPTED", "REFUSED"]),
      reasonCode: code.optional(),
      note: noteRef.optional(),
    }),
  },
  /** An offer's notes (a refusal's note, an out-of-sequence reason) were crypto-shredded; their commitments stay. */
  "offer.notes_erased": {
    version: 1,
    payload: z.object({ offerId: id, organId: id, notesErased: z.number().int().min(0).max(10) }),
  },
  "offer.expired": { version: 1, payload: z.object({ offerId: id, organId: id }) },
  /** Another offer for the organ was accepted while this one was open. */
  "offer.withdrawn": {
    version: 1,
    payload: z.object({ offerId: id, organId: id, acceptedOfferId: id }),
  },
  /** An offer skipped higher ranks; the stated reason is a `PrivateNote` the event commits to (text in version 1). */
  "offer.bypassed": {
    version: 2,
    payload: z.object({
      offerId: id,
      organId: id,
      skippedRanks: z.array(z.number().int()),
      reason: noteRef,
    }),
  },
  /**
   * One step of an organ's custody journey: times, readings, ids and the policy's flags; its free
   * text (a place's name, a device's label, a reason) is a `PrivateNote` the event commits to.
   * Version 1 carried the details as recorded, text included; those events still verify.
   */
  "custody.recorded": {
    version: 2,
    payload: z.object({
      custodyEventId: id,
      organId: id,
      sequence: z.number().int().positive(),
      kind: code,
      details: z.object({
        location: z.object({ lat: z.number(), lon: z.number() }).optional(),
        temperatureC: z.number().optional(),
        deviceReading: z
          .object({
            temperatureC: z.number().optional(),
            flowMlMin: z.number().optional(),
            pressureMmHg: z.number().optional(),
          })
          .optional(),
        etaAt: z.iso.datetime({ offset: true }).optional(),
        toUserId: id.optional(),
        toOrgId: id.nullable().optional(),
        warmIschemiaStartedAt: z.iso.datetime({ offset: true }).optional(),
        preservation: z
          .enum(["STATIC_COLD", "HYPOTHERMIC_MACHINE_PERFUSION", "NORMOTHERMIC_MACHINE_PERFUSION"])
          .optional(),
        excursions: z
          .array(
            z.object({
              code,
              severity: z.enum(["warn", "escalate"]),
              temperatureC: z.number().optional(),
              rangeC: z.object({ minC: z.number(), maxC: z.number() }).optional(),
              preservation: code.optional(),
              percentUsed: z.number().optional(),
              policy: z.string().regex(/^[a-z0-9-]{1,60}@[0-9]{1,6}$/, "must be a policy id@version"),
            }),
          )
          .optional(),
      }),
      note: noteRef.optional(),
    }),
  },
  /** A custody step's note (its free text) was crypto-shredded; the step's event stays and verifies. */
  "custody.note_erased": {
    version: 1,
    payload: z.object({ custodyEventId: id, organId: id, sequence: z.number().int().positive() }),
  },
  /**
   * An OPO recorded a donor lab result after referral: a test code and a bounded value in that
   * test's unit, about a donor known here only by case id (clinical facts without identity).
   */
  "donor_lab.recorded": {
    version: 1,
    payload: z.object({
      donorCaseId: id,
      labResultId: id,
      test: z.enum(DONOR_LAB_TEST_CODES),
      value: z.number().min(0).max(20_000),
      takenAt: z.iso.datetime(),
    }),
  },
  /** An OPO closed a donor case; the reason is a code (any note stays in the case record). */
  "donor_case.closed": {
    version: 1,
    payload: z.object({
      donorCaseId: id,
      reasonCode: z.enum([
        "ALL_ORGANS_PLACED",
        "NO_SUITABLE_RECIPIENT",
        "MEDICALLY_UNSUITABLE",
        "AUTHORISATION_WITHDRAWN",
        "RECOVERY_NOT_PERFORMED",
        "OTHER",
      ]),
    }),
  },
  /** A closed donor case's closing note was crypto-shredded; the case keeps its reason's code. */
  "donor_case.note_erased": { version: 1, payload: z.object({ donorCaseId: id }) },
  /** An administrator created or changed an organisation (codes and kind; names are not personal). */
  "organisation.recorded": {
    version: 1,
    payload: z.object({
      organisationId: id,
      change: z.enum(["created", "updated"]),
      code: z.string().regex(/^[A-Z0-9]{5}$/),
      kind: z.enum(["OPO", "TRANSPLANT_CENTER", "REGULATOR", "COURIER_SERVICE", "PLATFORM"]),
    }),
  },
  /** An administrator created a staff account or changed its role or organisation (no name or e-mail). */
  "user.recorded": {
    version: 1,
    payload: z.object({
      userId: id,
      change: z.enum(["created", "role_changed"]),
      role: z.enum(["DONOR", "OPO_COORDINATOR", "CENTER_COORDINATOR", "COURIER", "REGULATOR", "ADMIN"]),
      organisationId: id.nullable(),
    }),
  },
  /** An administrator lifted a sign-in lock-out. */
  "user.unlocked": { version: 1, payload: z.object({ userId: id }) },
  /** An administrator deactivated an account (it can no longer sign in) or reactivated it. */
  "user.deactivated": {
    version: 1,
    payload: z.object({
      userId: id,
      reasonCode: z.enum(["LEFT_ORGANISATION", "ROLE_ENDED", "SUSPECTED_COMPROMISE", "OTHER"]),
    }),
  },
  "user.reactivated": { version: 1, payload: z.object({ userId: id }) },
  /**
   * A person enrolled a passkey (subject `passkey:<passkeyId>`). Carries the public key (COSE_Key)
   * and where it may sign (RP id and origin), so the offline verifier checks every passkey
   * signature from the bundle alone (server/ledger/passkey-signatures.ts).
   */
  "passkey.enrolled": {
    version: 1,
    payload: z.object({
      passkeyId: id,
      userId: id,
      credentialId: b64url(1400),
      publicKey: b64url(2000),
      /** COSE algorithm of the key (-7 ES256, -8 EdDSA, -257 RS256). */
      algorithm: z.number().int(),
      rpId: z
        .string()
        .max(253)
        .regex(/^[a-z0-9][a-z0-9.-]*$/, "must be a host name"),
      origin: z.url(),
    }),
  },
  /**
   * A person signed a decision event with their passkey: the WebAuthn challenge was the decision's
   * event hash, so the assertion covers that event's canonical hash. Recorded on the decision's
   * own subject, after it (docs/trust-model.md says why a separate event).
   */
  "signature.recorded": {
    version: 1,
    payload: z.object({
      signedEventId: id,
      signedEventHash: hash,
      meaning: z.enum(SIGNATURE_MEANING_CODES),
      passkeyId: id,
      credentialId: b64url(1400),
      assertion: z.object({
        clientDataJSON: b64url(4000),
        authenticatorData: b64url(4000),
        signature: b64url(2000),
        userHandle: b64url(200).optional(),
      }),
    }),
  },
  /**
   * A decision that was not signed with a passkey (the person has none, or declined the prompt):
   * recorded so a regulator sees the fallback, never an unexplained gap.
   */
  "signature.not_signed": {
    version: 1,
    payload: z.object({
      signedEventId: id,
      signedEventHash: hash,
      meaning: z.enum(SIGNATURE_MEANING_CODES),
      reasonCode: z.enum(["NO_PASSKEY", "DECLINED"]),
    }),
  },
  /**
   * The portal's first event-signing key (Ed25519): every later event's signature is checked
   * against it (or its successors) from the ledger alone. Always sequence 1 of `ledger:signing-keys`.
   */
  "ledger.signing_key.introduced": {
    version: 1,
    payload: z.object({ keyId: id, algorithm: z.literal("ed25519"), publicKey: publicKey }),
  },
  /**
   * The portal's signing key was replaced: signed by the previous key, which signs nothing recorded
   * after this event.
   */
  "ledger.signing_key.rotated": {
    version: 1,
    payload: z.object({
      keyId: id,
      algorithm: z.literal("ed25519"),
      publicKey: publicKey,
      previousKeyId: id,
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

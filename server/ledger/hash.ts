import canonicalize from "canonicalize";
import { keccak256Utf8 } from "./keccak";

/** The fields an event hash commits to. Times are ISO-8601 strings with milliseconds. */
export type THashedEvent = {
  salt: string;
  subjectType: string;
  subjectId: string;
  sequence: number;
  type: string;
  schemaVersion: number;
  actor: { userId: string | null; role: string | null; orgId: string | null };
  serverTime: string;
  reportedTime: string | null;
  payload: unknown;
  prevHash: string | null;
};

/**
 * keccak256 over the RFC 8785 canonical JSON of the event. The per-event random salt makes the
 * hash reveal nothing about the payload, even for guessable payloads. js-sha3's Keccak (UTF-8 of
 * the string, the same digest as any other Keccak-256) is about four times faster than
 * @noble/hashes here, which a whole-ledger audit of every event needs; its permutation now runs
 * on preallocated state (keccak.ts), with no allocation per hash.
 */
export function eventHash(e: THashedEvent): string {
  const canonical = canonicalize({
    v: 1,
    salt: e.salt,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    sequence: e.sequence,
    type: e.type,
    schemaVersion: e.schemaVersion,
    actor: e.actor,
    serverTime: e.serverTime,
    reportedTime: e.reportedTime,
    payload: e.payload,
    prevHash: e.prevHash,
  });
  if (canonical === undefined) throw new Error("event cannot be canonicalised");
  return keccak256Utf8(canonical);
}

/** A subject's head as a batch commits to it: its last sequence in the batch and that event's hash. */
export type THead = { subjectType: string; subjectId: string; sequence: number; hash: string };

/**
 * The bytes32 a head leaf carries (leaf format 2): keccak256 over the canonical JSON of the head,
 * tagged so it can never be taken for an event hash (an event's canonical JSON has no `head` key).
 */
export function headCommitment(h: THead): string {
  const canonical = canonicalize({
    head: 1,
    subjectType: h.subjectType,
    subjectId: h.subjectId,
    sequence: h.sequence,
    hash: h.hash,
  });
  if (canonical === undefined) throw new Error("head cannot be canonicalised");
  return keccak256Utf8(canonical);
}

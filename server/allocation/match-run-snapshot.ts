import sha3 from "js-sha3";
import { z } from "zod";
import { canonicalBytes } from "@/server/crypto/commitment";
import { ZOrganTypeSchema } from "@/server/matching/organ-type";

/**
 * Everything a match run read, exactly as it read it: recorded in the ledger event before any offer
 * goes out, so anyone can re-run it later and must get the identical ranking. Version 1 copied every
 * candidate into the event; version 2 records the ledger position of the waiting list it read (the
 * list is itself on the ledger, one `candidate.recorded` event per change: waitlist-state.ts) and
 * ranks it in candidate-id order; version 3 ranks it in listing order (`organList`). The order
 * decides only which exclusions are stored in full; the ranking itself is order-free. Version 4
 * adds a random salt and leaves the ledger: the snapshot (donor facts among it) is kept in the
 * match run's row and the event carries only its hash, which the salt makes a commitment.
 *
 * The schemas keep every field they do not name (loose objects, no defaults), so a snapshot read
 * back hashes exactly as it was recorded; the donor and candidates are checked by the engine's own
 * schemas when ranked.
 */
export const SNAPSHOT_FORMAT = "match-run-snapshot/4";

const ZSnapshotBaseSchema = z.looseObject({
  organ: z.looseObject({ id: z.string(), type: ZOrganTypeSchema, din: z.string() }),
  donor: z.record(z.string(), z.unknown()),
  policy: z.looseObject({ id: z.string(), version: z.number().int() }),
  consent: z.looseObject({ organs: z.array(z.string()), purposes: z.array(z.string()) }),
  evaluatedAt: z.string(),
});
export type TSnapshotBase = z.output<typeof ZSnapshotBaseSchema>;

const ZInvalidCandidateSchema = z.looseObject({
  candidateId: z.string(),
  centreId: z.string(),
  message: z.string(),
});
export type TInvalidCandidate = z.output<typeof ZInvalidCandidateSchema>;

export const ZMatchSnapshotSchema = z.discriminatedUnion("format", [
  ZSnapshotBaseSchema.extend({
    format: z.literal("match-run-snapshot/1"),
    candidates: z.array(z.record(z.string(), z.unknown())),
    /** Listed candidates whose stored record fails the engine's rules: excluded by name. */
    invalid: z.array(ZInvalidCandidateSchema).optional(),
  }),
  ZSnapshotBaseSchema.extend({
    format: z.enum(["match-run-snapshot/2", "match-run-snapshot/3"]),
    /** The waiting list as recorded up to this global ledger position; `listed` for this organ. */
    waitlist: z.looseObject({ upToPosition: z.string(), listed: z.number().int().min(0) }),
  }),
  ZSnapshotBaseSchema.extend({
    format: z.literal(SNAPSHOT_FORMAT),
    waitlist: z.looseObject({ upToPosition: z.string(), listed: z.number().int().min(0) }),
    /** 32 random bytes: the hash on the ledger reveals nothing of the donor facts. */
    salt: z.string(),
  }),
]);
export type TMatchSnapshot = z.output<typeof ZMatchSnapshotSchema>;

/** The `match_run.recorded` payload as a replay reads it (the snapshot only in version 1 events). */
export const ZMatchRunRecordedSchema = z.looseObject({
  snapshot: ZMatchSnapshotSchema.optional(),
  snapshotHash: z.string(),
});

/** keccak256 of the snapshot's canonical JSON (js-sha3: the same digest as any Keccak-256). */
export const snapshotHash = (snapshot: TMatchSnapshot) => `0x${sha3.keccak_256(canonicalBytes(snapshot))}`;

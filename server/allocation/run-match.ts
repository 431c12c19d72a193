import "server-only";

import { randomUUID } from "node:crypto";
import type { TSessionUser } from "@/server/auth/roles";
import {
  caseConsentOf,
  caseConsentScope,
  type TCaseConsent,
  type TCaseConsentRow,
} from "@/server/consent/case-consent";
import { actorOf } from "@/server/consent/donor-record";
import { withSqlTransactionHoldingDataKeys } from "@/server/consent/key-lock";
import { generateSalt } from "@/server/crypto/commitment";
import { AppError } from "@/server/errors";
import { appendEvent, subjectLockKey, subjectLockSql } from "@/server/ledger/append-event";
import { prepareDonor } from "@/server/matching/engine/prepare-donor";
import { ALLOCATION_POLICIES, ALLOCATION_PROGRAMMES, choosePolicy } from "@/server/matching/policies";
import { SNAPSHOT_FORMAT, snapshotHash, type TMatchSnapshot } from "./match-run-snapshot";
import { excludedCount, rankedCount, rankSnapshot } from "./rank-snapshot";
import { encodeRankingTail } from "./ranking-tail";
import { DEFAULT_POLICY, engineDonor, ZStoredDonorFactsSchema } from "./records";
import { toStoredExcluded, toStoredRanking } from "./stored-ranking";
import { currentWaitlist, waitlistBarrier } from "./waitlist-state";

/**
 * Runs the match for one organ of the caller's OPO: every candidate listed for the organ type
 * (inactive ones are excluded by rule, so the record says why), under the organ's policy, within
 * the consent the case relies on. Snapshot, ranking and ledger event commit together.
 */
export async function runMatch({
  organId,
  policyId: requestedPolicy,
  user,
  now = new Date(),
}: {
  organId: string;
  /**
   * A shipped policy for the organ type, or a programme that chooses one by donor (e.g.
   * eurotransplant-kidney: ETKAS under 65, ESP from 65); the organ type's default when omitted.
   * The run records the policy chosen.
   */
  policyId?: string;
  user: TSessionUser;
  now?: Date;
}) {
  // Direct SQL, seven round trips: the waiting-list barrier; BEGIN with the data-key lock; the
  // organ, its case and consent; the list's new events; the ledger event; the run; COMMIT.
  const upTo = await waitlistBarrier();
  return withSqlTransactionHoldingDataKeys(async (sql) => {
    const id = randomUUID();
    const [organ] = await sql.query<TRunOrganRow>(RUN_ORGAN_SQL, [organId, subjectLockKey(runSubject(id))]);
    if (!organ || organ.opoId !== user.organisationId)
      throw new AppError("NOT_FOUND", "no such organ in your OPO's cases");
    if (organ.caseStatus === "CLOSED")
      throw new AppError("CONFLICT", "organId: its donor case is closed; no further match can be run");
    if (organ.acceptedOfferId) throw new AppError("CONFLICT", "this organ is already allocated");
    const policyId = requestedPolicy ?? DEFAULT_POLICY[organ.type];
    const donor = engineDonor(organ.caseCode, ZStoredDonorFactsSchema.parse(organ.donor), organ);
    const policy = policyId ? choosePolicy(policyId, prepareDonor(donor)) : null;
    if (!policy || policy.organ !== organ.type) {
      const choices = [
        ...new Set(
          [...ALLOCATION_POLICIES, ...ALLOCATION_PROGRAMMES]
            .filter((p) => p.organ === organ.type)
            .map((p) => p.id),
        ),
      ];
      throw new AppError(
        "BAD_REQUEST",
        choices.length
          ? `policyId: ${organ.type.toLowerCase()} is allocated under ${choices.join(" or ")}`
          : `no allocation policy for ${organ.type.toLowerCase()} in this portal`,
        { policyId: choices.length ? `choose ${choices.join(" or ")}` : "no policy for this organ" },
      );
    }

    const consent: TMatchSnapshot["consent"] = caseConsentScope(caseConsentOfRow(organ));
    // Every waiting-list event up to the barrier's position is committed: the list read up to it
    // is exactly the ledger's, while other runs and waiting-list writes go on.
    const { position, listed, prepared, invalid } = await currentWaitlist(sql, upTo, (waitlist) => ({
      position: waitlist.position,
      ...waitlist.list(organ.type),
    }));
    const snapshot: TMatchSnapshot = {
      format: SNAPSHOT_FORMAT,
      organ: { id: organ.id, type: organ.type, din: organ.din },
      donor,
      policy: { id: policy.id, version: policy.version },
      consent,
      evaluatedAt: now.toISOString(),
      waitlist: { upToPosition: position.toString(), listed },
      salt: generateSalt(),
    };
    const result = rankSnapshot(snapshot, prepared, invalid);
    if (result.refusal) throw new AppError("PRECONDITION_FAILED", result.refusal.message);
    const hash = snapshotHash(snapshot);
    const event = await appendEvent({
      tx: sql,
      subject: runSubject(id),
      type: "match_run.recorded",
      payload: {
        matchRunId: id,
        organId: organ.id,
        policy: snapshot.policy,
        snapshotHash: hash,
        rankedCount: rankedCount(result),
        excludedCount: excludedCount(result),
      },
      actor: actorOf(user),
      now,
      // The run's subject is new (its id made above) and its lock was taken with the organ's read.
      held: { tail: null },
    });
    const ranking = toStoredRanking(result);
    const excluded = toStoredExcluded(result.excluded, result.excludedMore);
    // JSON as text: a serialiser walking thousands of rows costs more than the insert.
    await sql.exec(
      `INSERT INTO "MatchRun" (id, "organId", "policyId", "policyVersion", ranking, "rankingTail",
          excluded, "snapshotHash", snapshot, "ledgerEventId", "createdById", "createdAt")
        VALUES ($1::uuid, $2::uuid, $3, $4::int, $5::json, $6, $7::json, $8, $9::json, $10::uuid, $11,
          $12::timestamptz AT TIME ZONE 'UTC')`,
      [
        id,
        organ.id,
        policy.id,
        policy.version,
        JSON.stringify(ranking),
        encodeRankingTail(result.tail),
        JSON.stringify(excluded),
        hash,
        JSON.stringify(snapshot),
        event.id,
        user.id,
        now.toISOString(),
      ],
    );
    return {
      matchRunId: id,
      ledgerEventId: event.id,
      ranked: rankedCount(result),
      excluded: excludedCount(result),
    };
  });
}

const runSubject = (id: string) => ({ type: "match_run", id });

/** The organ, its case, the case's OPO and consent version as a run reads them (RUN_ORGAN_SQL). */
type TRunOrganRow = {
  id: string;
  type: string;
  din: string;
  acceptedOfferId: string | null;
  caseCode: string;
  caseStatus: string;
  opoId: string;
  donor: unknown;
  latitude: number | null;
  longitude: number | null;
  consentVersionId: string | null;
  cvId: string | null;
  cvKind: TCaseConsent["kind"] | null;
} & Omit<TCaseConsentRow, "id" | "kind">;

/**
 * One statement: the organ with its case, OPO and consent (the version, its donor's key, whether a
 * later version supersedes it), and, only when the organ exists, the run's ledger subject lock.
 */
const RUN_ORGAN_SQL = `
  SELECT o.id::text AS id, o.type::text AS type, o.din, o."acceptedOfferId"::text AS "acceptedOfferId",
         c.code AS "caseCode", c.status::text AS "caseStatus", c."opoId"::text AS "opoId", c.donor,
         opo.latitude, opo.longitude, c."consentVersionId"::text AS "consentVersionId",
         cv.id::text AS "cvId", cv.kind::text AS "cvKind", cv."contentCiphertext", cv."wrappedKey",
         cv."revokedAt", d."wrappedKey" AS "donorKey", (d."erasedAt" IS NOT NULL) AS "donorErased",
         EXISTS (SELECT 1 FROM "ConsentVersion" l
                  WHERE l."donorId" = cv."donorId" AND l.version > cv.version) AS superseded,
         ${subjectLockSql("$2")} AS subject_locked
    FROM "Organ" o
    JOIN "DonorCase" c ON c.id = o."donorCaseId"
    JOIN "Organisation" opo ON opo.id = c."opoId"
    LEFT JOIN "ConsentVersion" cv ON cv.id = c."consentVersionId"
    LEFT JOIN "Donor" d ON d.id = cv."donorId"
   WHERE o.id = $1::uuid`;

/** The case's consent as readCaseConsent reads it, from the run's row (null: the case has none). */
function caseConsentOfRow(row: TRunOrganRow): TCaseConsent | null {
  if (!row.consentVersionId) return null;
  if (!row.cvId || !row.cvKind)
    throw new AppError("NOT_FOUND", "no such consent version", {
      consentVersionId: "no such consent version",
    });
  return caseConsentOf({ ...row, id: row.cvId, kind: row.cvKind });
}

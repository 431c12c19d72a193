import "server-only";

import { randomUUID } from "node:crypto";
import type { TSessionUser } from "@/server/auth/roles";
import { caseConsentScope, readCaseConsent } from "@/server/consent/case-consent";
import { actorOf } from "@/server/consent/donor-record";
import { generateSalt } from "@/server/crypto/commitment";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";
import { prepareDonor } from "@/server/matching/engine/prepare-donor";
import { ALLOCATION_POLICIES, ALLOCATION_PROGRAMMES, choosePolicy } from "@/server/matching/policies";
import { SNAPSHOT_FORMAT, snapshotHash, type TMatchSnapshot } from "./match-run-snapshot";
import { excludedCount, rankedCount, rankSnapshot } from "./rank-snapshot";
import { encodeRankingTail } from "./ranking-tail";
import { DEFAULT_POLICY, engineDonor, ZStoredDonorFactsSchema } from "./records";
import { toStoredExcluded, toStoredRanking } from "./stored-ranking";
import { currentWaitlist, lockWaitlistForMatch } from "./waitlist-state";

/** A run ranks up to 100,000 candidates and writes their ranking: longer than the default transaction. */
const RUN_TIMEOUT_MS = 60_000;

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
  return withTransaction(
    async (tx) => {
      const organ = await tx.organ.findUnique({
        where: { id: organId },
        include: { donorCase: { include: { opo: true } } },
      });
      if (!organ || organ.donorCase.opoId !== user.organisationId)
        throw new AppError("NOT_FOUND", "no such organ in your OPO's cases");
      if (organ.donorCase.status === "CLOSED")
        throw new AppError("CONFLICT", "organId: its donor case is closed; no further match can be run");
      if (organ.acceptedOfferId) throw new AppError("CONFLICT", "this organ is already allocated");
      const policyId = requestedPolicy ?? DEFAULT_POLICY[organ.type];
      const donor = engineDonor(
        organ.donorCase.code,
        ZStoredDonorFactsSchema.parse(organ.donorCase.donor),
        organ.donorCase.opo,
      );
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

      const consent: TMatchSnapshot["consent"] = caseConsentScope(
        organ.donorCase.consentVersionId
          ? await readCaseConsent({ tx, consentVersionId: organ.donorCase.consentVersionId })
          : null,
      );
      // No waiting-list write is in flight while this runs: the list read is exactly the ledger's.
      await lockWaitlistForMatch(tx);
      const waitlist = await currentWaitlist(tx);
      const { listed, prepared, invalid } = waitlist.list(organ.type);
      const snapshot: TMatchSnapshot = {
        format: SNAPSHOT_FORMAT,
        organ: { id: organ.id, type: organ.type, din: organ.din },
        donor,
        policy: { id: policy.id, version: policy.version },
        consent,
        evaluatedAt: now.toISOString(),
        waitlist: { upToPosition: waitlist.position.toString(), listed },
        salt: generateSalt(),
      };
      const result = rankSnapshot(snapshot, prepared, invalid);
      if (result.refusal) throw new AppError("PRECONDITION_FAILED", result.refusal.message);
      const hash = snapshotHash(snapshot);
      const id = randomUUID();
      const event = await appendEvent({
        tx,
        subject: { type: "match_run", id },
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
      });
      const ranking = toStoredRanking(result);
      const excluded = toStoredExcluded(result.excluded, result.excludedMore);
      // Raw SQL with JSON text: Prisma's serialiser walking thousands of rows costs more than the insert.
      await tx.$executeRaw`
        INSERT INTO "MatchRun" (id, "organId", "policyId", "policyVersion", ranking, "rankingTail",
          excluded, "snapshotHash", snapshot, "ledgerEventId", "createdById", "createdAt")
        VALUES (${id}::uuid, ${organ.id}::uuid, ${policy.id}, ${policy.version},
          ${JSON.stringify(ranking)}::json, ${encodeRankingTail(result.tail)},
          ${JSON.stringify(excluded)}::json, ${hash}, ${JSON.stringify(snapshot)}::json,
          ${event.id}::uuid, ${user.id}, ${now})`;
      return {
        matchRunId: id,
        ledgerEventId: event.id,
        ranked: rankedCount(result),
        excluded: excludedCount(result),
      };
    },
    { timeoutMs: RUN_TIMEOUT_MS },
  );
}

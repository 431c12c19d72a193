import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { organCovered, readCaseConsent } from "@/server/consent/case-consent";
import { KEY_WAIT, lockDataKeysShared } from "@/server/consent/key-lock";
import { ischemiaClock } from "@/server/custody/ischemia-clock";
import { prisma, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { findAllocationPolicy } from "@/server/matching/policies";
import { distanceNm } from "@/server/matching/rules/distance";
import {
  hlaAntigenById,
  parseHlaTyping,
  type THlaTypingInput,
  type TParsedHlaTyping,
} from "@/server/matching/rules/hla-antigens";
import type { THlaCountingRules } from "@/server/matching/rules/hla-counting";
import { createMismatchCounter } from "@/server/matching/rules/hla-mismatch";
import { currentCandidateInput } from "./candidate-current";
import { donorLabTrends } from "./record-donor-lab";
import { ZDonorFactsSchema } from "./records";

/** Loci whose mismatches allocation counts, in the order a typing report lists them. */
const SHEET_LOCI = ["A", "B", "DR"] as const;
type TSheetLocus = (typeof SHEET_LOCI)[number];

/**
 * A rough door-to-door estimate from the straight-line distance, so the sheet can say what the
 * ischemia clock will read on arrival before any courier is booked: by road up to 250 NM (45 knots
 * average plus 30 min handling), else by air (300 knots plus 90 min for the two road legs).
 * Labelled as an estimate wherever it is shown.
 */
export function estimatedTravelMinutes(nm: number): { minutes: number; mode: "road" | "air" } {
  if (nm <= 250) return { minutes: Math.round((nm / 45) * 60 + 30), mode: "road" };
  return { minutes: Math.round((nm / 300) * 60 + 90), mode: "air" };
}

/**
 * Which of the donor's antigens the candidate does not share, per locus, counted as the run's
 * policy counts them (split or broad level, DR17/18 as DR3 where the policy says so).
 */
export function mismatchedDonorAntigens(
  donor: TParsedHlaTyping,
  candidate: TParsedHlaTyping,
  rules?: THlaCountingRules,
): Record<TSheetLocus, { donor: string[]; candidate: string[]; mismatched: string[] }> {
  const name = (id: number) => hlaAntigenById(id).name;
  const out = {} as Record<TSheetLocus, { donor: string[]; candidate: string[]; mismatched: string[] }>;
  for (const locus of SHEET_LOCI) {
    const mismatched = donor[locus].filter((id) => {
      // The donor typed with this one antigen alone: a mismatch at the locus means it is unshared.
      const single: TParsedHlaTyping = { ...donor, A: [], B: [], DR: [], [locus]: [id] };
      return createMismatchCounter(single, rules).count(candidate)[locus] === 1;
    });
    out[locus] = {
      donor: donor[locus].map(name),
      candidate: candidate[locus].map(name),
      mismatched: mismatched.map(name),
    };
  }
  return out;
}

const parsedTyping = (hla: unknown): TParsedHlaTyping | null => {
  const r = parseHlaTyping(hla as THlaTypingInput, []);
  return r.ok ? r.typing : null;
};

/** Whole years between a date of birth and `now` (UTC). */
const ageOn = (dob: Date, now: Date) => {
  const before =
    now.getUTCMonth() < dob.getUTCMonth() ||
    (now.getUTCMonth() === dob.getUTCMonth() && now.getUTCDate() < dob.getUTCDate());
  return now.getUTCFullYear() - dob.getUTCFullYear() - (before ? 1 : 0);
};

/**
 * What a transplant centre decides an offer on, in one read: the donor (HLA with this candidate's
 * mismatches, serology, creatinine, size, cause of death, DBD/DCD), the candidate's own size and
 * HLA, the organ's ischemia so far and estimated at arrival here, and the consent's restrictions.
 * Only the centre the offer was made to may read it.
 */
export async function getOfferDecisionSheet({
  offerId,
  user,
  now = new Date(),
}: {
  offerId: string;
  user: TSessionUser;
  now?: Date;
}) {
  const offer = await prisma.offer.findUnique({
    where: { id: offerId },
    include: {
      candidate: true,
      center: { select: { latitude: true, longitude: true } },
      matchRun: { select: { policyId: true, policyVersion: true } },
      organ: {
        include: {
          donorCase: {
            select: {
              id: true,
              code: true,
              openedAt: true,
              kdri: true,
              kdpi: true,
              donor: true,
              consentVersionId: true,
            },
          },
        },
      },
    },
  });
  if (!offer || offer.centerId !== user.organisationId) throw new AppError("NOT_FOUND", "no such offer");

  const facts = ZDonorFactsSchema.safeParse(offer.organ.donorCase.donor);
  if (!facts.success)
    throw new AppError("CONFLICT", "the donor case's facts fail validation; ask the OPO to correct them");
  const donor = facts.data;
  // The encrypted records (the candidate's latest version, the consent's content) are opened under
  // the data-key lock, shared: an erasure elsewhere rotates the key-encryption key and destroys the
  // old one, which must not happen between reading a wrapped key here and unwrapping it.
  const consentVersionId = offer.organ.donorCase.consentVersionId;
  const { recorded, consent } = await withTransaction(async (tx) => {
    await lockDataKeysShared(tx);
    return {
      // The clinical detail as last recorded; an older row holds it in its columns too.
      recorded: await currentCandidateInput(tx, offer.candidateId),
      consent: consentVersionId ? await readCaseConsent({ tx, consentVersionId }) : null,
    };
  }, KEY_WAIT);
  const row = offer.candidate;
  const candidate = recorded
    ? {
        ...row,
        hla: recorded.hla,
        dateOfBirth: new Date(`${recorded.dateOfBirth}T00:00:00Z`),
        sex: recorded.sex,
        heightCm: recorded.heightCm,
        weightKg: recorded.weightKg,
      }
    : row;
  const policy = findAllocationPolicy(offer.matchRun.policyId, offer.matchRun.policyVersion);
  const donorHla = parsedTyping(donor.hla);
  const candidateHla = parsedTyping(candidate.hla);
  const hla =
    donorHla && candidateHla
      ? {
          loci: mismatchedDonorAntigens(donorHla, candidateHla, policy?.hla),
          total: createMismatchCounter(donorHla, policy?.hla).count(candidateHla).total,
        }
      : null;

  const centre =
    offer.center.latitude !== null && offer.center.longitude !== null
      ? { lat: offer.center.latitude, lon: offer.center.longitude }
      : null;
  const nm = donor.location && centre ? distanceNm(donor.location, centre) : null;
  const travel = nm === null ? null : { ...estimatedTravelMinutes(nm), distanceNm: Math.round(nm) };
  const startedAt = offer.organ.crossClampAt;
  const clock = startedAt
    ? ischemiaClock({
        organType: offer.organ.type,
        startedAt,
        endedAt: offer.organ.reperfusionAt,
        now,
        estimatedArrivalAt: travel ? new Date(now.getTime() + travel.minutes * 60_000) : null,
      })
    : null;

  return {
    offerId: offer.id,
    status: offer.status,
    deadline: offer.deadline,
    rank: offer.rank,
    policy: policy ? { id: policy.id, version: policy.version, label: policy.label } : null,
    organ: { type: offer.organ.type, laterality: offer.organ.laterality, din: offer.organ.din },
    donor: {
      caseCode: offer.organ.donorCase.code,
      abo: donor.abo,
      ageYears: donor.ageYears,
      sex: donor.sex,
      heightCm: donor.heightCm,
      weightKg: donor.weightKg,
      causeOfDeath: donor.causeOfDeath,
      dcd: donor.dcd,
      hypertension: donor.hypertension,
      diabetes: donor.diabetes,
      creatinineMgDl: donor.creatinineMgDl,
      // Every lab recorded since referral, as a trend: the latest value and its direction.
      labs: await donorLabTrends(offer.organ.donorCase),
      serology: { hbv: donor.hbv, hcv: donor.hcv, hiv: donor.hiv },
      kdri: offer.organ.donorCase.kdri,
      kdpi: offer.organ.donorCase.kdpi,
    },
    candidate: {
      code: candidate.code,
      abo: candidate.abo,
      // Null once the candidate's record was erased (no open offer survives that, answered ones may).
      ageYears: candidate.dateOfBirth ? ageOn(candidate.dateOfBirth, now) : null,
      sex: candidate.sex,
      heightCm: candidate.heightCm,
      weightKg: candidate.weightKg,
      cpra: candidate.cpra,
    },
    hla,
    ischemia: {
      crossClampAt: startedAt,
      limitMinutes: clock?.limitMinutes ?? null,
      elapsedMinutes: clock?.elapsedMinutes ?? null,
      percentUsed: clock?.percentUsed ?? null,
      travel,
      percentUsedAtArrival: clock?.arrival?.percentUsedAtArrival ?? null,
    },
    consent: consent
      ? {
          status: consent.status,
          covered: organCovered(consent, offer.organ.type).covered,
          // Free text the donor or family set: the centre must read it before accepting.
          restrictions: consent.status === "IN_FORCE" ? (consent.decision?.restrictions ?? null) : null,
        }
      : null,
  };
}

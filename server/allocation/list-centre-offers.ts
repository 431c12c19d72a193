import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { prisma } from "@/server/db";
import { offerTexts } from "./offer-notes";
import { ZDonorSummarySchema } from "./records";

/** Answered offers stay on a centre's list this long after they were sent. */
const ANSWERED_SHOWN_MS = 24 * 3_600_000;
/** Offers a centre's list shows at most. */
const LIST_LIMIT = 100;

/** Offers to the caller's centre: open ones first, then the last day's answers. */
export async function listCentreOffers({ user, now = new Date() }: { user: TSessionUser; now?: Date }) {
  const offers = await prisma.offer.findMany({
    where: {
      centerId: user.organisationId ?? "",
      OR: [{ status: "PENDING" }, { sentAt: { gte: new Date(now.getTime() - ANSWERED_SHOWN_MS) } }],
    },
    orderBy: [{ status: "asc" }, { deadline: "asc" }],
    take: LIST_LIMIT,
    include: {
      candidate: { select: { code: true } },
      organ: { include: { donorCase: { select: { code: true, kdpi: true, donor: true } } } },
    },
  });
  const texts = await offerTexts(offers);
  return offers.map((o) => {
    const text = texts.get(o.id);
    const donor = ZDonorSummarySchema.safeParse(o.organ.donorCase.donor).data ?? {};
    return {
      offerId: o.id,
      status: o.status,
      rank: o.rank,
      sentAt: o.sentAt,
      deadline: o.deadline,
      candidateCode: o.candidate.code,
      organ: { id: o.organ.id, type: o.organ.type, laterality: o.organ.laterality, din: o.organ.din },
      donor: {
        caseCode: o.organ.donorCase.code,
        abo: donor.abo ?? null,
        ageYears: donor.ageYears ?? null,
        dcd: donor.dcd ?? null,
        kdpi: o.organ.donorCase.kdpi,
      },
      bypassReason: text?.bypassReason ?? null,
      refusalReason: text?.refusalReason ?? null,
      hasNote: text?.hasNote ?? false,
    };
  });
}

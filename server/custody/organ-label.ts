import "server-only";

import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { prisma } from "@/server/db";
import { AppError } from "@/server/errors";
import { mod37_2CheckCharacter } from "./donation-identification-number";
import { organScopeFor } from "./organ-access";

export type TOrganLabel = {
  organId: string;
  /** The 13-character Donation Identification Number (what the barcode carries). */
  din: string;
  /** ISO 7064 mod 37-2 check character, printed beside the DIN for keyed entry. */
  check: string;
  type: string;
  laterality: string | null;
  opoName: string;
  opoCode: string;
  destinationName: string | null;
  crossClampAt: Date | null;
};

/**
 * What a printed organ label shows. No donor identity: the DIN, the organ, the recovering OPO and
 * the destination centre, as on a packaging label.
 */
export async function getOrganLabel(opts: { user: TSessionUser; organId: string }): Promise<TOrganLabel> {
  if (!z.uuid().safeParse(opts.organId).success) {
    throw new AppError("NOT_FOUND", "organId must be an organ id (UUID): no organ has this id.");
  }
  const organ = await prisma.organ.findFirst({
    where: { AND: [{ id: opts.organId }, organScopeFor(opts.user)] },
    include: { donorCase: { select: { opo: { select: { name: true, code: true } } } } },
  });
  if (!organ) throw new AppError("NOT_FOUND", "No organ with this id is visible to you.");
  const destination = organ.destinationOrgId
    ? await prisma.organisation.findUnique({ where: { id: organ.destinationOrgId }, select: { name: true } })
    : null;
  const { din, check } = splitDin(organ.din);
  return {
    organId: organ.id,
    din,
    check,
    type: organ.type,
    laterality: organ.laterality,
    opoName: organ.donorCase.opo.name,
    opoCode: organ.donorCase.opo.code,
    destinationName: destination?.name ?? null,
    crossClampAt: organ.crossClampAt,
  };
}

/** The stored DIN carries its check character after the 13 characters of the number. */
export function splitDin(stored: string): { din: string; check: string } {
  return { din: stored.slice(0, 13), check: stored.slice(13) || mod37_2CheckCharacter(stored.slice(0, 13)) };
}

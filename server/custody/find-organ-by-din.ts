import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { prisma } from "@/server/db";
import { AppError } from "@/server/errors";
import { validateDonationIdentificationNumber } from "./donation-identification-number";
import { organScopeFor } from "./organ-access";

/** Scanners and people type DINs with spaces, dashes or lower case; the label's text is the same. */
export function normaliseDin(raw: string): string {
  return raw.toUpperCase().replace(/[^0-9A-Z*]/g, "");
}

/**
 * Finds an organ from its label. A courier standing next to the box may open any organ by its DIN
 * (that is how a hand-off to them starts) but sees only what the label already shows and who holds
 * it; coordinators only organs they follow. The DIN may be typed with or without its check character.
 */
export async function findOrganByDin(opts: { user: TSessionUser; din: string; db?: typeof prisma }) {
  const db = opts.db ?? prisma;
  const checked = validateDonationIdentificationNumber(normaliseDin(opts.din));
  if (!checked.ok) throw new AppError("BAD_REQUEST", checked.message, { din: checked.message });
  const din = checked.din;
  const scope = opts.user.role === "COURIER" ? {} : organScopeFor(opts.user);
  const organ = await db.organ.findFirst({
    where: { AND: [scope, { OR: [{ din }, { din: `${din}${checked.checkCharacter}` }] }] },
    select: {
      id: true,
      din: true,
      type: true,
      status: true,
      custodyState: true,
      custodianOrgId: true,
      custodianUserId: true,
    },
  });
  if (!organ) throw new AppError("NOT_FOUND", `No organ with label ${din} is visible to you; check the DIN.`);
  const holder = organ.custodianOrgId
    ? await db.organisation.findUnique({ where: { id: organ.custodianOrgId }, select: { name: true } })
    : null;
  const state = organ.custodyState as Record<string, unknown> | null;
  const phase = state?.phase ?? state?.state ?? state?.status;
  return {
    id: organ.id,
    din: organ.din,
    type: organ.type,
    status: organ.status,
    custodyState: typeof phase === "string" ? phase : null,
    holderOrgName: holder?.name ?? null,
    heldByYou: organ.custodianUserId === opts.user.id,
  };
}

import "server-only";

import type { Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";

/**
 * One person, one open donor case. A registrant's decisions are versions of one consent (a case
 * opened on version 1 still stands when version 2 is recorded), a family authorisation is a consent
 * of its own; `person` is the key both share. The database backs this with a partial unique index
 * on the open case's consent version (migration `one_open_case_per_consent`).
 */
export type TConsentPerson = { donorId: string | null; consentVersionId: string };

/** Organ states that mean the organ was recovered and placed: it cannot be listed again. */
const PLACED = ["ALLOCATED", "IN_TRANSIT", "ARRIVED", "TRANSPLANTED"] as const;

/** The index the database refuses a second open case with. */
export const OPEN_CASE_INDEX = "DonorCase_open_consent_key";

const personCases = (person: TConsentPerson) =>
  person.donorId
    ? { consentVersion: { donorId: person.donorId } }
    : {
        OR: [
          { consentVersionId: person.consentVersionId },
          // An authorisation recorded for a case already opened belongs to that case.
          { authorisations: { some: { id: person.consentVersionId } } },
        ],
      };

/**
 * Refuses a case for a person who already has an open one (naming it and its OPO, whichever OPO
 * asks), and organs that an earlier case of theirs already placed. Takes a lock on the person first,
 * so two coordinators opening at once are decided one after the other.
 */
export async function assertNoCaseForConsent({
  tx,
  person,
  organs,
}: {
  tx: Tx;
  person: TConsentPerson;
  organs: Array<{ type: string; laterality: string | null }>;
}): Promise<void> {
  const key = `donor-case-person:${person.donorId ?? person.consentVersionId}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
  const earlier = await tx.donorCase.findMany({
    where: personCases(person),
    orderBy: { openedAt: "asc" },
    select: {
      code: true,
      status: true,
      opo: { select: { code: true } },
      organs: {
        where: { status: { in: [...PLACED] } },
        select: { type: true, laterality: true, din: true },
      },
    },
  });
  const open = earlier.find((c) => c.status === "OPEN");
  if (open) throw openCaseConflict(open.code, open.opo.code);
  const fieldErrors: Record<string, string> = {};
  organs.forEach((o, i) => {
    const placed = earlier
      .flatMap((c) => c.organs.map((p) => ({ ...p, case: c.code })))
      .find(
        (p) =>
          p.type === o.type &&
          (p.laterality === null || o.laterality === null || p.laterality === o.laterality),
      );
    if (placed)
      fieldErrors[`organs.${i}.type`] =
        `${o.type.toLowerCase()}${o.laterality ? ` (${o.laterality.toLowerCase()})` : ""} was already placed from donor case ${placed.case} (DIN ${placed.din})`;
  });
  if (Object.keys(fieldErrors).length > 0)
    throw new AppError("CONFLICT", Object.values(fieldErrors).join("; "), fieldErrors);
}

function openCaseConflict(caseCode: string | null, opoCode: string | null) {
  const which = caseCode
    ? `donor case ${caseCode}${opoCode ? ` (OPO ${opoCode})` : ""}`
    : "another donor case";
  return new AppError("CONFLICT", `${which} is already open on this consent: one consent, one open case`, {
    consentReceiptCode: `${which} is already open on this consent`,
  });
}

/**
 * The database's own refusal of a second open case (a writer that skipped the lock), as the same
 * error; anything else is rethrown.
 */
export function asOpenCaseConflict(err: unknown): never {
  if (
    err instanceof Prisma.PrismaClientKnownRequestError &&
    err.code === "P2002" &&
    JSON.stringify(err.meta ?? {}).includes("consentVersionId")
  )
    throw openCaseConflict(null, null);
  throw err;
}

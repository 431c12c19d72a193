import "server-only";

import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { TSessionUser } from "@/server/auth/roles";
import { organCovered, readCaseConsent } from "@/server/consent/case-consent";
import { actorOf } from "@/server/consent/donor-record";
import { KEY_WAIT, lockDataKeysShared } from "@/server/consent/key-lock";
import { readPrivateNotes } from "@/server/consent/private-note";
import { parseReceiptCode } from "@/server/consent/receipt-code";
import {
  buildDonationIdentificationNumber,
  nextDinSequences,
} from "@/server/custody/donation-identification-number";
import { prisma, withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";
import { prepareDonor } from "@/server/matching/engine/prepare-donor";
import { ORGAN_TYPES } from "@/server/matching/organ-type";
import { ALLOCATION_POLICIES, ALLOCATION_PROGRAMMES } from "@/server/matching/policies";
import { asOpenCaseConflict, assertNoCaseForConsent } from "./one-case-per-consent";
import { donorLabTrends } from "./record-donor-lab";
import { DEFAULT_POLICY, engineDonor, ZDonorFactsSchema } from "./records";

export const ZOpenDonorCaseSchema = z.object({
  referralHospital: z
    .string()
    .trim()
    .min(2, "enter the referring hospital")
    .max(200, "too long (200 characters at most)"),
  /** The receipt code of the registry decision or family authorisation the case relies on. */
  consentReceiptCode: z
    .string()
    .trim()
    .min(1, "give the receipt code of the registry decision or family authorisation"),
  donor: ZDonorFactsSchema,
  organs: z
    .array(
      z.object({
        type: z.enum(ORGAN_TYPES, { error: `organ must be one of ${ORGAN_TYPES.join(", ")}` }),
        laterality: z.enum(["LEFT", "RIGHT", "EN_BLOC"]).nullable().default(null),
      }),
    )
    .min(1, "list at least one organ to recover"),
});
export type TOpenDonorCase = z.input<typeof ZOpenDonorCaseSchema>;

/**
 * Opens a deceased-donor case from a referral. The case must rest on a consent in force (the
 * person's registry decision or a family authorisation), and every organ listed must be covered by
 * it for transplantation: an organ that is not is refused by name, and nothing is written.
 */
export async function openDonorCase({
  input,
  user,
  now = new Date(),
}: {
  input: z.output<typeof ZOpenDonorCaseSchema>;
  user: TSessionUser;
  now?: Date;
}) {
  if (!user.organisationId) throw new AppError("FORBIDDEN", "you are not a member of an OPO");
  const receiptCode = parseReceiptCode(input.consentReceiptCode);
  if (!receiptCode) {
    throw new AppError("BAD_REQUEST", "consentReceiptCode: not a receipt code", {
      consentReceiptCode: "not a receipt code (10 letters and digits)",
    });
  }
  const result = await withTransaction(async (tx) => {
    // The consent's content is opened here: under the data-key lock (shared, first), so no erasure
    // destroys the KEK between reading the registrant's wrapped key and unwrapping it.
    await lockDataKeysShared(tx);
    const opo = await tx.organisation.findUniqueOrThrow({ where: { id: user.organisationId as string } });
    const version = await tx.consentVersion.findUnique({
      where: { receiptCode },
      select: { id: true, donorId: true },
    });
    if (!version) {
      throw new AppError("NOT_FOUND", `no consent with receipt ${receiptCode}`, {
        consentReceiptCode: "no consent with this receipt code",
      });
    }
    const consent = await readCaseConsent({ tx, consentVersionId: version.id });
    if (consent.status !== "IN_FORCE") {
      throw new AppError(
        "CONFLICT",
        `that consent is ${consent.status.toLowerCase().replace("_", " ")}, not in force`,
        {
          consentReceiptCode: `this consent is ${consent.status.toLowerCase().replace("_", " ")}`,
        },
      );
    }
    const fieldErrors: Record<string, string> = {};
    input.organs.forEach((o, i) => {
      const c = organCovered(consent, o.type);
      if (!c.covered)
        fieldErrors[`organs.${i}.type`] =
          `${o.type.toLowerCase()} is not covered by the consent (${c.reason.toLowerCase().replace(/_/g, " ")})`;
    });
    if (Object.keys(fieldErrors).length) {
      throw new AppError("BAD_REQUEST", Object.values(fieldErrors).join("; "), fieldErrors);
    }
    await assertNoCaseForConsent({
      tx,
      person: { donorId: version.donorId, consentVersionId: version.id },
      organs: input.organs,
    });

    const yy = String(now.getUTCFullYear() % 100).padStart(2, "0");
    const code = `${opo.code}-${yy}-${randomBytes(3).toString("hex").toUpperCase()}`;
    const donor = prepareDonor(engineDonor(code, input.donor, opo));
    const donorCase = await tx.donorCase.create({
      data: {
        code,
        opoId: opo.id,
        referralHospital: input.referralHospital,
        consentVersionId: consent.consentVersionId,
        donor: { ...input.donor, location: donor.location },
        kdri: donor.kdri,
        kdpi: donor.kdpi,
        openedById: user.id,
        openedAt: now,
      },
    });
    if (consent.kind === "FAMILY_AUTHORISATION") {
      // The authorisation belongs to this case: link it back.
      await tx.consentVersion.update({
        where: { id: consent.consentVersionId },
        data: { donorCaseId: donorCase.id },
      });
    }
    // DINs are numbered per OPO and year; a lock keeps two cases opened at once from colliding.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`din:${opo.code}:${yy}`}, 0))`;
    const used = new Set(
      (
        await tx.organ.findMany({
          where: { din: { startsWith: `${opo.code}${yy}` } },
          select: { din: true },
        })
      ).map((o) => Number.parseInt(o.din.slice(7, 13), 10)),
    );
    const sequences = nextDinSequences(used, input.organs.length);
    if (!sequences) throw new AppError("CONFLICT", "this OPO has used every donation number of the year");
    const organs = [];
    for (const [i, o] of input.organs.entries()) {
      const din = buildDonationIdentificationNumber({
        facility: opo.code,
        year: now.getUTCFullYear(),
        sequence: sequences[i] as number,
      });
      organs.push(
        await tx.organ.create({
          data: {
            donorCaseId: donorCase.id,
            type: o.type,
            laterality: o.laterality,
            din: `${din.din}${din.checkCharacter}`,
          },
        }),
      );
    }
    await appendEvent({
      tx,
      subject: { type: "donor_case", id: donorCase.id },
      type: "donor_case.opened",
      payload: { donorCaseId: donorCase.id, code, organs: organs.map((o) => o.type) },
      actor: actorOf(user),
      now,
    });
    return {
      donorCaseId: donorCase.id,
      code,
      kdri: donor.kdri,
      kdpi: donor.kdpi,
      organs: organs.map((o) => ({ id: o.id, type: o.type, din: o.din })),
    };
  }, KEY_WAIT).catch(asOpenCaseConflict);
  return result;
}

/** The OPO's donor cases, newest first, with their organs. */
export async function listDonorCases({ user }: { user: TSessionUser }) {
  const cases = await prisma.donorCase.findMany({
    where: { opoId: user.organisationId ?? "" },
    orderBy: { openedAt: "desc" },
    take: 100,
    include: {
      organs: {
        orderBy: { din: "asc" },
        select: { id: true, type: true, laterality: true, din: true, status: true },
      },
    },
  });
  return cases.map((c) => ({
    id: c.id,
    code: c.code,
    status: c.status,
    referralHospital: c.referralHospital,
    openedAt: c.openedAt,
    kdpi: c.kdpi,
    organs: c.organs,
  }));
}

/** One case of the caller's OPO: donor facts, consent relied on, organs with their latest match run. */
export async function getDonorCase({ id, user }: { id: string; user: TSessionUser }) {
  const c = await prisma.donorCase.findUnique({
    where: { id },
    include: {
      consentVersion: { select: { id: true, kind: true, receiptCode: true, version: true } },
      organs: {
        orderBy: { din: "asc" },
        include: {
          matchRuns: {
            orderBy: { createdAt: "desc" },
            take: 1,
            select: { id: true, createdAt: true, policyId: true, policyVersion: true },
          },
          offers: { select: { status: true } },
        },
      },
    },
  });
  if (!c || c.opoId !== user.organisationId) throw new AppError("NOT_FOUND", "no such donor case");
  // The consent's content and the closing note are opened under the data-key lock (shared), so an
  // erasure elsewhere cannot destroy the KEK between reading a wrapped key and unwrapping it.
  const consentVersionId = c.consentVersion?.id;
  const closedNoteId = c.closedNoteId;
  const { consent, noteText } = await withTransaction(async (tx) => {
    await lockDataKeysShared(tx);
    return {
      consent: consentVersionId ? await readCaseConsent({ tx, consentVersionId }) : null,
      // The closing note's words, opened from its encrypted note (an older case kept them in its row).
      noteText: closedNoteId
        ? ((await readPrivateNotes({ ids: [closedNoteId], db: tx })).get(closedNoteId) ?? null)
        : c.closedNote,
    };
  }, KEY_WAIT);
  return {
    id: c.id,
    code: c.code,
    status: c.status,
    closedAt: c.closedAt,
    closedReasonCode: c.closedReasonCode,
    closedNote: noteText,
    /** A closing note was written and has since been erased. */
    closedNoteErased: c.closedNoteId !== null && noteText === null,
    referralHospital: c.referralHospital,
    openedAt: c.openedAt,
    kdri: c.kdri,
    kdpi: c.kdpi,
    donor: c.donor as Record<string, unknown>,
    labs: await donorLabTrends(c),
    consent:
      c.consentVersion && consent
        ? {
            ...c.consentVersion,
            status: consent.status,
            // Free text the coordinator must read before recovering or offering anything.
            restrictions: consent.status === "IN_FORCE" ? (consent.decision?.restrictions ?? null) : null,
          }
        : null,
    organs: c.organs.map((o) => ({
      id: o.id,
      type: o.type,
      laterality: o.laterality,
      din: o.din,
      status: o.status,
      latestMatchRun: o.matchRuns[0] ?? null,
      pendingOffers: o.offers.filter((x) => x.status === "PENDING").length,
      // The policies this organ may be matched under (versioned data), the default first.
      // Programmes (a policy chosen by donor facts) are offered beside the policies.
      policies: [...ALLOCATION_POLICIES, ...ALLOCATION_PROGRAMMES]
        .filter((p) => p.organ === o.type)
        .map((p) => ({ id: p.id, label: p.label, isDefault: DEFAULT_POLICY[o.type] === p.id }))
        .sort((a, b) => Number(b.isDefault) - Number(a.isDefault)),
    })),
  };
}

import "server-only";

import { z } from "zod";
import { dataKeyRing } from "@/server/crypto/data-key-ring";
import type { TKeyRing } from "@/server/crypto/key-ring";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import type { TActor } from "@/server/ledger/append-event";
import { ZAuthorisedBySchema, ZConsentDecisionSchema } from "./decision-schema";
import { ZIdentifierSchema } from "./identifiers";
import { KEY_WAIT, lockDataKeysShared } from "./key-lock";
import { recordConsentInTx, type TRecordedVersion } from "./record-consent";
import { createDonorRecord, findDonorByIdentity } from "./register-donor";
import { dateOfBirthSchema } from "./registration-schema";

export const ZFamilyAuthorisationSchema = z.object({
  person: z.object({
    fullName: z
      .string()
      .trim()
      .min(1, "enter the person's full name")
      .max(200, "too long (200 characters at most)"),
    dateOfBirth: dateOfBirthSchema(),
    identifier: ZIdentifierSchema,
  }),
  decision: z.enum(["DONATE_ALL", "DONATE_SELECTED", "OBJECTION"], { error: "choose the family's decision" }),
  organs: z.array(z.string()).default([]),
  purposes: z.array(z.string()).default([]),
  restrictions: z.string().optional(),
  authorisedBy: ZAuthorisedBySchema,
  donorCaseId: z.uuid("donorCaseId must be a donor case id").optional(),
});
export type TFamilyAuthorisation = z.input<typeof ZFamilyAuthorisationSchema>;

/**
 * Records a family (next-of-kin) authorisation for someone who left no decision. The person gets a
 * registrant record (no account) if they have none, and the authorisation is a versioned, anchored
 * consent of kind FAMILY_AUTHORISATION; a first-person decision in force is never overridden.
 */
export async function recordFamilyAuthorisation({
  input,
  actor,
  ring = dataKeyRing(),
}: {
  input: z.output<typeof ZFamilyAuthorisationSchema>;
  actor: TActor;
  ring?: TKeyRing;
}): Promise<TRecordedVersion & { donorId: string }> {
  const parsed = ZConsentDecisionSchema.safeParse({
    kind: "FAMILY_AUTHORISATION",
    decision: input.decision,
    organs: input.organs,
    purposes: input.purposes,
    restrictions: input.restrictions,
    authorisedBy: input.authorisedBy,
  });
  if (!parsed.success) {
    const fieldErrors = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
    throw new AppError(
      "BAD_REQUEST",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
      fieldErrors,
    );
  }
  return withTransaction(async (tx) => {
    // Identities are opened (and a key may be wrapped): the data-key lock first, shared.
    await lockDataKeysShared(tx);
    if (input.donorCaseId) {
      const donorCase = await tx.donorCase.findUnique({
        where: { id: input.donorCaseId },
        select: { opoId: true },
      });
      if (!donorCase)
        throw new AppError("NOT_FOUND", "no such donor case", { donorCaseId: "no such donor case" });
      if (donorCase.opoId !== actor.orgId) {
        throw new AppError("FORBIDDEN", "this donor case belongs to another OPO", {
          donorCaseId: "another OPO's case",
        });
      }
    }
    const existing = await findDonorByIdentity({
      tx,
      ring,
      identifier: input.person.identifier,
      dateOfBirth: input.person.dateOfBirth,
    });
    const donorId =
      existing?.id ??
      (
        await createDonorRecord({
          tx,
          ring,
          identity: {
            fullName: input.person.fullName,
            dateOfBirth: input.person.dateOfBirth,
            identifier: input.person.identifier,
          },
        })
      ).donorId;
    const recorded = await recordConsentInTx({
      tx,
      donorId,
      decision: parsed.data,
      actor,
      donorCaseId: input.donorCaseId,
      ring,
    });
    return { ...recorded, donorId };
  }, KEY_WAIT);
}

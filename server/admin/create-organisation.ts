import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";
import { adminActor } from "./admin-actor";
import type { TCreateOrganisation } from "./admin-schemas";

/**
 * Creates an organisation (OPO, transplant centre, regulator, courier service) with its facility
 * code; the `organisation.recorded` event commits in the same transaction.
 */
export async function createOrganisation(opts: { input: TCreateOrganisation; user: TSessionUser }) {
  const { input, user } = opts;
  return withTransaction(async (tx) => {
    const taken = await tx.organisation.findUnique({ where: { code: input.code }, select: { id: true } });
    if (taken)
      throw new AppError("CONFLICT", `code: ${input.code} is already used by another organisation`, {
        code: `${input.code} is already used by another organisation`,
      });
    const org = await tx.organisation.create({
      data: {
        code: input.code,
        name: input.name,
        kind: input.kind,
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
      },
    });
    await appendEvent({
      tx,
      subject: { type: "organisation", id: org.id },
      type: "organisation.recorded",
      payload: { organisationId: org.id, change: "created", code: org.code, kind: org.kind },
      actor: adminActor(user),
    });
    return { organisationId: org.id };
  });
}

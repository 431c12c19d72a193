import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";
import { adminActor } from "./admin-actor";
import type { TUpdateOrganisation } from "./admin-schemas";

/**
 * Renames an organisation or moves its location (used for distances in allocation). Its code and
 * kind stay: DINs already printed carry the code, and staff permissions follow the kind.
 */
export async function updateOrganisation(opts: { input: TUpdateOrganisation; user: TSessionUser }) {
  const { input, user } = opts;
  return withTransaction(async (tx) => {
    const org = await tx.organisation.findUnique({ where: { id: input.organisationId } });
    if (!org) throw new AppError("NOT_FOUND", "organisationId: no such organisation");
    const updated = await tx.organisation.update({
      where: { id: org.id },
      data: {
        name: input.name,
        latitude: input.latitude === undefined ? org.latitude : input.latitude,
        longitude: input.longitude === undefined ? org.longitude : input.longitude,
      },
    });
    await appendEvent({
      tx,
      subject: { type: "organisation", id: org.id },
      type: "organisation.recorded",
      payload: { organisationId: org.id, change: "updated", code: updated.code, kind: updated.kind },
      actor: adminActor(user),
    });
    return { organisationId: org.id };
  });
}

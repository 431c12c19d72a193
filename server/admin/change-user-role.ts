import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { disconnectUserSockets, endUserSessions } from "@/server/auth/sessions";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";
import { adminActor } from "./admin-actor";
import type { TChangeUserRole } from "./admin-schemas";
import { roleOrganisationMismatch } from "./role-organisation";

/**
 * Gives a staff account another role and/or organisation (the two must fit). An administrator
 * cannot change their own role, so the portal never ends up without one. The user's sessions and
 * sockets end at once; the new role applies from their next sign-in.
 */
export async function changeUserRole(opts: { input: TChangeUserRole; user: TSessionUser }) {
  const { input, user } = opts;
  if (input.userId === user.id)
    throw new AppError("BAD_REQUEST", "userId: you cannot change your own role; ask another administrator");
  const result = await withTransaction(async (tx) => {
    const target = await tx.user.findUnique({
      where: { id: input.userId },
      select: { id: true, role: true },
    });
    if (!target) throw new AppError("NOT_FOUND", "userId: no such user");
    if (target.role === "DONOR")
      throw new AppError("BAD_REQUEST", "userId: a donor's account has no staff role to change");
    const org = await tx.organisation.findUnique({
      where: { id: input.organisationId },
      select: { kind: true },
    });
    if (!org) throw new AppError("NOT_FOUND", "organisationId: no such organisation");
    const mismatch = roleOrganisationMismatch(input.role, org.kind);
    if (mismatch) throw new AppError("BAD_REQUEST", mismatch, { organisationId: mismatch });
    await tx.user.update({
      where: { id: target.id },
      data: { role: input.role, organisationId: input.organisationId },
    });
    await endUserSessions({ userId: target.id, tx });
    await appendEvent({
      tx,
      subject: { type: "user", id: target.id },
      type: "user.recorded",
      payload: {
        userId: target.id,
        change: "role_changed",
        role: input.role,
        organisationId: input.organisationId,
      },
      actor: adminActor(user),
    });
    return { userId: target.id };
  });
  disconnectUserSockets(result.userId);
  return result;
}

import "server-only";

import { hashPassword } from "@/server/auth/password";
import type { TSessionUser } from "@/server/auth/roles";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";
import { adminActor } from "./admin-actor";
import type { TCreateUser } from "./admin-schemas";
import { roleOrganisationMismatch } from "./role-organisation";

/**
 * Creates a staff account in an organisation of the kind its role works for, with a first password
 * the administrator hands over. The `user.recorded` event carries the role and organisation, never
 * the name or e-mail (personal data stays out of the permanent ledger).
 */
export async function createUser(opts: { input: TCreateUser; user: TSessionUser }) {
  const { input, user } = opts;
  const passwordHash = await hashPassword(input.password);
  return withTransaction(async (tx) => {
    const org = await tx.organisation.findUnique({
      where: { id: input.organisationId },
      select: { kind: true },
    });
    if (!org) throw new AppError("NOT_FOUND", "organisationId: no such organisation");
    const mismatch = roleOrganisationMismatch(input.role, org.kind);
    if (mismatch) throw new AppError("BAD_REQUEST", mismatch, { organisationId: mismatch });
    const taken = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (taken)
      throw new AppError("CONFLICT", "email: an account with this e-mail already exists", {
        email: "an account with this e-mail already exists",
      });
    const created = await tx.user.create({
      data: {
        email: input.email,
        name: input.name,
        role: input.role,
        organisationId: input.organisationId,
        passwordHash,
      },
    });
    await appendEvent({
      tx,
      subject: { type: "user", id: created.id },
      type: "user.recorded",
      payload: {
        userId: created.id,
        change: "created",
        role: created.role,
        organisationId: input.organisationId,
      },
      actor: adminActor(user),
    });
    return { userId: created.id };
  });
}

import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { disconnectUserSockets, endUserSessions } from "@/server/auth/sessions";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";
import { adminActor } from "./admin-actor";
import type { TDeactivateUser } from "./admin-schemas";

/**
 * Deactivates an account: it can no longer sign in, and its sessions and sockets end at once (the
 * account and its trail are kept, never deleted). An administrator cannot deactivate themselves.
 */
export async function deactivateUser(opts: { input: TDeactivateUser; user: TSessionUser; now?: Date }) {
  const now = opts.now ?? new Date();
  const { input, user } = opts;
  if (input.userId === user.id)
    throw new AppError("BAD_REQUEST", "userId: you cannot deactivate your own account");
  const result = await withTransaction(async (tx) => {
    const target = await tx.user.findUnique({
      where: { id: input.userId },
      select: { id: true, deactivatedAt: true },
    });
    if (!target) throw new AppError("NOT_FOUND", "userId: no such user");
    if (target.deactivatedAt) throw new AppError("CONFLICT", "userId: this account is already deactivated");
    await tx.user.update({ where: { id: target.id }, data: { deactivatedAt: now } });
    await endUserSessions({ userId: target.id, tx });
    await appendEvent({
      tx,
      subject: { type: "user", id: target.id },
      type: "user.deactivated",
      payload: { userId: target.id, reasonCode: input.reasonCode },
      actor: adminActor(user),
      now,
    });
    return { userId: target.id };
  });
  disconnectUserSockets(result.userId);
  return result;
}

/** Lets a deactivated account sign in again. */
export async function reactivateUser(opts: { userId: string; user: TSessionUser }) {
  return withTransaction(async (tx) => {
    const target = await tx.user.findUnique({
      where: { id: opts.userId },
      select: { id: true, deactivatedAt: true },
    });
    if (!target) throw new AppError("NOT_FOUND", "userId: no such user");
    if (!target.deactivatedAt) throw new AppError("CONFLICT", "userId: this account is active");
    await tx.user.update({ where: { id: target.id }, data: { deactivatedAt: null } });
    await appendEvent({
      tx,
      subject: { type: "user", id: target.id },
      type: "user.reactivated",
      payload: { userId: target.id },
      actor: adminActor(opts.user),
    });
    return { userId: target.id };
  });
}

import "server-only";

import type { TSessionUser } from "@/server/auth/roles";
import { withTransaction } from "@/server/db";
import { AppError } from "@/server/errors";
import { appendEvent } from "@/server/ledger/append-event";
import { adminActor } from "./admin-actor";

/** Lifts a lock-out after failed sign-ins (the person called in and proved who they are). */
export async function unlockUser(opts: { userId: string; user: TSessionUser; now?: Date }) {
  const now = opts.now ?? new Date();
  return withTransaction(async (tx) => {
    const target = await tx.user.findUnique({
      where: { id: opts.userId },
      select: { id: true, lockedUntil: true, failedSignIns: true },
    });
    if (!target) throw new AppError("NOT_FOUND", "userId: no such user");
    if (!(target.lockedUntil && target.lockedUntil > now) && target.failedSignIns === 0)
      throw new AppError("CONFLICT", "userId: this account is not locked");
    await tx.user.update({ where: { id: target.id }, data: { lockedUntil: null, failedSignIns: 0 } });
    await appendEvent({
      tx,
      subject: { type: "user", id: target.id },
      type: "user.unlocked",
      payload: { userId: target.id },
      actor: adminActor(opts.user),
      now,
    });
    return { userId: target.id };
  });
}

import "server-only";

import { prisma } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Prisma } from "@/server/generated/prisma/client";
import { readPreferences, type TUserPreferences, ZUserPreferencesSchema } from "./preferences-schema";

/** The signed-in user's display and alert settings (defaults when none were saved). */
export async function getUserPreferences(opts: { userId: string }): Promise<TUserPreferences> {
  const user = await prisma.user.findUnique({ where: { id: opts.userId }, select: { preferences: true } });
  return readPreferences(user?.preferences);
}

/**
 * Saves a user's own display and alert settings. Not a ledger event: they change how the portal
 * shows and announces things to this user, never a record anyone relies on.
 */
export async function updateUserPreferences(opts: {
  userId: string;
  preferences: TUserPreferences;
}): Promise<TUserPreferences> {
  const parsed = ZUserPreferencesSchema.safeParse(opts.preferences);
  if (!parsed.success) {
    throw new AppError("BAD_REQUEST", parsed.error.issues[0]?.message ?? "invalid preferences");
  }
  const updated = await prisma.user.updateMany({
    where: { id: opts.userId },
    data: { preferences: parsed.data as Prisma.InputJsonValue },
  });
  if (updated.count === 0) throw new AppError("NOT_FOUND", "Your account was not found; sign in again.");
  return parsed.data;
}

import type { TSessionUser } from "@/server/auth/roles";
import type { TActor } from "@/server/ledger/append-event";

/** The administrator as a ledger actor. */
export const adminActor = (user: Pick<TSessionUser, "id" | "role" | "organisationId">): TActor => ({
  userId: user.id,
  role: user.role,
  orgId: user.organisationId,
});

import type { TSessionUser } from "@/server/auth/roles";

/** Who may read a match run: its OPO's coordinators, regulators and administrators. */
export const mayReadMatchRun = (user: TSessionUser, opoId: string | undefined) =>
  user.role === "REGULATOR" ||
  user.role === "ADMIN" ||
  (opoId !== undefined && opoId === user.organisationId);

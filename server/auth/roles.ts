import { z } from "zod";

/** Roles as in ../shared/DOMAIN.md; kept here (not only in Prisma) so client code can import them. */
export const ROLES = [
  "DONOR",
  "OPO_COORDINATOR",
  "CENTER_COORDINATOR",
  "COURIER",
  "REGULATOR",
  "ADMIN",
] as const;
export const ZRoleSchema = z.enum(ROLES);
export type TRole = z.infer<typeof ZRoleSchema>;

/** The home page of each role, where sign-in lands. */
export const ROLE_HOME: Record<TRole, string> = {
  DONOR: "/donor",
  OPO_COORDINATOR: "/opo",
  CENTER_COORDINATOR: "/center",
  COURIER: "/courier",
  REGULATOR: "/regulator",
  ADMIN: "/admin",
};

export const ROLE_LABEL: Record<TRole, string> = {
  DONOR: "Donor",
  OPO_COORDINATOR: "OPO coordinator",
  CENTER_COORDINATOR: "Transplant-centre coordinator",
  COURIER: "Courier",
  REGULATOR: "Regulator",
  ADMIN: "Administrator",
};

/** What the signed-in user carries in the session (and in the socket handshake). */
export const ZSessionUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: ZRoleSchema,
  organisationId: z.string().nullable(),
  organisationName: z.string().nullable(),
});
export type TSessionUser = z.infer<typeof ZSessionUserSchema>;

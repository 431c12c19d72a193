import { z } from "zod";
import { ZRoleSchema } from "@/server/auth/roles";

/** Inputs of the administrator's organisation and user management (zod at the boundary). */
export const ORGANISATION_KINDS = [
  "OPO",
  "TRANSPLANT_CENTER",
  "REGULATOR",
  "COURIER_SERVICE",
  "PLATFORM",
] as const;
export const ZOrganisationKindSchema = z.enum(ORGANISATION_KINDS);

const latitude = z
  .number()
  .min(-90, "latitude must be between -90 and 90")
  .max(90, "latitude must be between -90 and 90");
const longitude = z
  .number()
  .min(-180, "longitude must be between -180 and 180")
  .max(180, "longitude must be between -180 and 180");
const name = z
  .string()
  .trim()
  .min(2, "name must have at least 2 characters")
  .max(200, "name is at most 200 characters");

export const ZCreateOrganisationSchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{5}$/, "code must be 5 letters or digits (the ISBT 128 facility code)"),
  name,
  kind: ZOrganisationKindSchema,
  latitude: latitude.nullable().optional(),
  longitude: longitude.nullable().optional(),
});
export type TCreateOrganisation = z.infer<typeof ZCreateOrganisationSchema>;

export const ZUpdateOrganisationSchema = z.object({
  organisationId: z.uuid("organisationId must be an organisation id"),
  name,
  latitude: latitude.nullable().optional(),
  longitude: longitude.nullable().optional(),
});
export type TUpdateOrganisation = z.infer<typeof ZUpdateOrganisationSchema>;

/** Staff accounts only: donors register themselves. */
export const ZStaffRoleSchema = ZRoleSchema.exclude(["DONOR"], { error: "role: donors register themselves" });

export const ZCreateUserSchema = z.object({
  email: z.string().trim().toLowerCase().email("email must be a valid e-mail address").max(254),
  name,
  role: ZStaffRoleSchema,
  organisationId: z.uuid("organisationId must be an organisation id"),
  password: z
    .string()
    .min(12, "password must have at least 12 characters")
    .max(256, "password is at most 256 characters"),
});
export type TCreateUser = z.infer<typeof ZCreateUserSchema>;

export const ZChangeUserRoleSchema = z.object({
  userId: z.uuid("userId must be a user id"),
  role: ZStaffRoleSchema,
  organisationId: z.uuid("organisationId must be an organisation id"),
});
export type TChangeUserRole = z.infer<typeof ZChangeUserRoleSchema>;

export const DEACTIVATION_REASONS = {
  LEFT_ORGANISATION: "Left the organisation",
  ROLE_ENDED: "No longer in this role",
  SUSPECTED_COMPROMISE: "Account suspected compromised",
  OTHER: "Other",
} as const;

export const ZUserIdSchema = z.object({ userId: z.uuid("userId must be a user id") });
export const ZDeactivateUserSchema = ZUserIdSchema.extend({
  reasonCode: z.enum(Object.keys(DEACTIVATION_REASONS) as [keyof typeof DEACTIVATION_REASONS], {
    error: "reasonCode: choose why the account is deactivated",
  }),
});
export type TDeactivateUser = z.infer<typeof ZDeactivateUserSchema>;

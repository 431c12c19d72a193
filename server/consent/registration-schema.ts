import { z } from "zod";
import { ZIdentifierSchema } from "./identifiers";

export const MAX_AGE_YEARS = 120;

/** The calendar date of an ISO `YYYY-MM-DD` string, or null if no such day exists (2023-02-30). */
export function parseCalendarDate(value: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return { year, month, day };
}

// Somewhere on Earth it is already tomorrow (UTC+14): a baby born there today is not "in the future".
const LATEST_OFFSET_MS = 14 * 60 * 60 * 1000;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A date of birth: a real day, not in the future, at most 120 years ago. `now` is injectable for tests. */
export function dateOfBirthSchema(now: () => Date = () => new Date()) {
  return z
    .string({ error: "enter the date of birth" })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "use the form YYYY-MM-DD")
    .superRefine((value, ctx) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return; // the regex above has said why
      const date = parseCalendarDate(value);
      if (!date) {
        ctx.addIssue({ code: "custom", message: `${value} is not a real date` });
        return;
      }
      const today = now();
      if (value > isoDay(new Date(today.getTime() + LATEST_OFFSET_MS))) {
        ctx.addIssue({ code: "custom", message: "the date of birth cannot be in the future" });
        return;
      }
      const oldest = `${String(today.getUTCFullYear() - MAX_AGE_YEARS).padStart(4, "0")}${isoDay(today).slice(4)}`;
      if (value < oldest) {
        ctx.addIssue({
          code: "custom",
          message: `the date of birth is more than ${MAX_AGE_YEARS} years ago`,
        });
      }
    });
}

/** E.164: + and up to 15 digits, first digit not 0; spaces, dots, hyphens and brackets are dropped. */
export const ZPhoneSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s().-]/g, ""))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, "use the international form, e.g. +44 20 7946 0958"));

export const ZContactSchema = z
  .object({
    email: z.email("enter a valid e-mail address").max(254, "too long").optional(),
    phone: ZPhoneSchema.optional(),
  })
  .refine((c) => c.email !== undefined || c.phone !== undefined, {
    message: "give an e-mail address or a phone number",
    path: ["email"],
  });

/** Builds the registration schema; `now` fixes "today" for the date-of-birth rules in tests. */
export function makeDonorRegistrationSchema({ now }: { now?: () => Date } = {}) {
  return z.object({
    fullName: z
      .string({ error: "enter the full name" })
      .trim()
      .min(1, "enter the full name")
      .max(200, "the name is too long (200 characters at most)")
      .refine((v) => !/[\p{Cc}]/u.test(v), "the name contains control characters"),
    dateOfBirth: dateOfBirthSchema(now),
    identifier: ZIdentifierSchema,
    contact: ZContactSchema,
  });
}

/** Donor registration as entered in the form and the API. Identity fields: encrypt before storing. */
export const ZDonorRegistrationSchema = makeDonorRegistrationSchema();
export type TDonorRegistration = z.output<typeof ZDonorRegistrationSchema>;

import { z } from "zod";

/** A time zone the runtime knows (IANA name, e.g. Europe/London). */
const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const CREATININE_UNITS = ["mg/dL", "µmol/L"] as const;
export type TCreatinineUnit = (typeof CREATININE_UNITS)[number];

/**
 * A user's display and alert settings. Stored as JSON on the user; every field has a default so
 * an older or partial record still reads.
 */
export const ZUserPreferencesSchema = z.object({
  alerts: z
    .object({
      /** A short tone (made in the browser) for new offers and excursions. */
      sound: z.boolean().default(true),
      /** A desktop notification (the browser asks for permission once). */
      desktop: z.boolean().default(false),
    })
    .default({ sound: true, desktop: false }),
  creatinineUnit: z.enum(CREATININE_UNITS, { error: "creatinineUnit: mg/dL or µmol/L" }).default("mg/dL"),
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, "timeZone: not a time zone this server knows (e.g. Europe/London)")
    .default("UTC"),
});
export type TUserPreferences = z.infer<typeof ZUserPreferencesSchema>;

export const DEFAULT_PREFERENCES: TUserPreferences = ZUserPreferencesSchema.parse({});

/** Reads stored preferences; anything unreadable falls back to the defaults, field by field. */
export function readPreferences(stored: unknown): TUserPreferences {
  const whole = ZUserPreferencesSchema.safeParse(stored ?? {});
  if (whole.success) return whole.data;
  const o = (stored && typeof stored === "object" ? stored : {}) as Record<string, unknown>;
  const pick = <K extends keyof TUserPreferences>(k: K): TUserPreferences[K] => {
    const one = ZUserPreferencesSchema.shape[k].safeParse(o[k]);
    return (one.success ? one.data : DEFAULT_PREFERENCES[k]) as TUserPreferences[K];
  };
  return { alerts: pick("alerts"), creatinineUnit: pick("creatinineUnit"), timeZone: pick("timeZone") };
}

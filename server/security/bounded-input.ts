import { z } from "zod";

/**
 * Input schemas for values that PostgreSQL or the domain cannot take at their extremes: dates
 * outside the years a record can concern, integers past PostgreSQL's `integer`, text with control
 * characters. Each message names the field and the rule, so a client sees a 400 it can act on
 * instead of a 500 from deep inside a query.
 */

/** The earliest instant any record of the portal can concern (births included). */
export const EARLIEST_INSTANT = Date.UTC(1900, 0, 1);
/** Past this, a date is a typo or a probe (and PostgreSQL and JS disagree about years beyond 9999). */
export const LATEST_INSTANT = Date.UTC(10000, 0, 1) - 1;
/** PostgreSQL `integer`. */
export const MAX_INT4 = 2_147_483_647;

/** An ISO 8601 date-time (with offset) between 1900 and 9999. */
export function zIsoDateTimeWithin(field: string) {
  return z.iso
    .datetime({ offset: true, error: `${field} must be an ISO 8601 date-time, e.g. 2026-01-31T09:00:00Z` })
    .refine((v) => {
      const t = Date.parse(v);
      return t >= EARLIEST_INSTANT && t <= LATEST_INSTANT;
    }, `${field} must be between 1900-01-01 and 9999-12-31`);
}

/** A count or sequence number that fits PostgreSQL's `integer`. */
export function zInt4(field: string, min = 0) {
  return z
    .number({ error: `${field} must be a whole number` })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be at least ${min}`)
    .max(MAX_INT4, `${field} must be at most ${MAX_INT4}`);
}

/** Text without control characters (NUL and the rest of C0, DEL), e.g. a code or a type name. */
export function zPlainText(field: string, max: number) {
  return z
    .string({ error: `${field} must be text` })
    .min(1, `${field} is required`)
    .max(max, `${field} must be at most ${max} characters`)
    .refine((v) => !hasControlCharacter(v), `${field} may not contain control characters`);
}

/** Whether `text` holds a C0 control character or DEL (tab and newline included). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

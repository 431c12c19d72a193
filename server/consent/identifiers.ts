import { z } from "zod";

/**
 * National and health identifier schemes a registrant can give. Each has a format and, where the
 * issuer defines one, a check-digit rule, so a mistyped number is refused at the form instead of
 * becoming a registration nobody can find again.
 */
export const IDENTIFIER_SCHEMES = ["UK_NHS", "US_SSN", "NL_BSN", "GENERIC"] as const;
export type TIdentifierScheme = (typeof IDENTIFIER_SCHEMES)[number];

export const IDENTIFIER_SCHEME_LABELS: Record<TIdentifierScheme, string> = {
  UK_NHS: "NHS number (England, Wales, Isle of Man)",
  US_SSN: "US Social Security number",
  NL_BSN: "Dutch citizen service number (BSN)",
  GENERIC: "Other national or health identifier",
};

const digits = (s: string) => [...s].map(Number);

/** NHS number: 10 digits, the last a modulus 11 check digit with weights 10…2; 10 is never issued. */
function checkNhs(value: string): string | null {
  if (!/^\d{10}$/.test(value)) return "an NHS number has 10 digits, e.g. 943 476 5919";
  const d = digits(value);
  const sum = d.slice(0, 9).reduce((acc, n, i) => acc + n * (10 - i), 0);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  if (expected === 10 || expected !== d[9])
    return "this is not a valid NHS number (check digit does not match)";
  return null;
}

/**
 * SSN: AAA-GG-SSSS. The SSA never issues area 000, 666 or 900–999, group 00 or serial 0000;
 * 078-05-1120 and 219-09-9999 were printed in advertisements and are void.
 */
function checkSsn(value: string): string | null {
  if (!/^\d{9}$/.test(value)) return "a Social Security number has 9 digits, e.g. 123-45-6789";
  const area = Number(value.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900)
    return "this Social Security number's area (first 3 digits) is never issued";
  if (value.slice(3, 5) === "00") return "this Social Security number's group (digits 4–5) cannot be 00";
  if (value.slice(5) === "0000") return "this Social Security number's serial (last 4 digits) cannot be 0000";
  if (value === "078051120" || value === "219099999") return "this Social Security number is void";
  return null;
}

/** BSN: 9 digits passing the "elfproef": 9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11. */
function checkBsn(value: string): string | null {
  if (!/^\d{9}$/.test(value)) return "a BSN has 9 digits";
  const d = digits(value);
  const sum = d.slice(0, 8).reduce((acc, n, i) => acc + n * (9 - i), 0) - (d[8] ?? 0);
  if (sum % 11 !== 0 || value === "000000000") return "this is not a valid BSN (eleven test fails)";
  return null;
}

function checkGeneric(value: string): string | null {
  if (!/^[A-Z0-9]{4,32}$/.test(value)) return "use 4 to 32 letters and digits";
  return null;
}

const CHECKS: Record<TIdentifierScheme, (value: string) => string | null> = {
  UK_NHS: checkNhs,
  US_SSN: checkSsn,
  NL_BSN: checkBsn,
  GENERIC: checkGeneric,
};

/** Strips the spaces, hyphens and dots people type, and upper-cases; the stored and hashed form. */
export function normaliseIdentifier(value: string): string {
  return value
    .normalize("NFKC")
    .replace(/[\s\-.]/g, "")
    .toUpperCase();
}

/** Why this identifier is invalid for the scheme, or null when it is valid (after normalising). */
export function identifierProblem(scheme: TIdentifierScheme, value: string): string | null {
  return CHECKS[scheme](normaliseIdentifier(value));
}

/** An identifier as typed; parses to its normalised value, or fails on `value` with the reason. */
export const ZIdentifierSchema = z
  .object({
    scheme: z.enum(IDENTIFIER_SCHEMES, { error: `choose one of ${IDENTIFIER_SCHEMES.join(", ")}` }),
    value: z
      .string({ error: "enter the identifier" })
      .trim()
      .min(1, "enter the identifier")
      .max(64, "too long"),
  })
  .superRefine((id, ctx) => {
    const problem = identifierProblem(id.scheme, id.value);
    if (problem) ctx.addIssue({ code: "custom", path: ["value"], message: problem });
  })
  .transform((id) => ({ scheme: id.scheme, value: normaliseIdentifier(id.value) }));

export type TIdentifier = z.output<typeof ZIdentifierSchema>;

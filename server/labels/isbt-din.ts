/**
 * ISBT 128 Donation Identification Numbers: facility code (5) + year (2) + sequence (6), with the
 * ISO 7064 MOD 37-2 check character printed beside it (0–9, A–Z, then * for 36).
 */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";
const DIN_PATTERN = /^[A-NP-Z][0-9]{4}[0-9]{2}[0-9]{6}$/;

/** ISO 7064 MOD 37-2 (pure system, M = 37, r = 2) over 0–9 and A–Z. Precondition: upper-case alphanumerics. */
export function mod37_2(data: string): string {
  let p = 0;
  for (const ch of data) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0 || v > 35) throw new Error(`"${ch}" cannot appear in a DIN`);
    p = ((p + v) * 2) % 37;
  }
  return ALPHABET[(38 - p) % 37] as string;
}

/** Builds a DIN (13 characters) and its check character. */
export function buildDin(opts: { facility: string; year: number; sequence: number }): {
  din: string;
  check: string;
} {
  const facility = opts.facility.toUpperCase();
  if (!/^[A-NP-Z][0-9]{4}$/.test(facility)) {
    throw new Error("facility code must be a letter (not O) followed by four digits, e.g. W0001");
  }
  if (!Number.isInteger(opts.sequence) || opts.sequence < 0 || opts.sequence > 999_999) {
    throw new Error("sequence must be a whole number from 0 to 999999");
  }
  const din = `${facility}${String(opts.year % 100).padStart(2, "0")}${String(opts.sequence).padStart(6, "0")}`;
  return { din, check: mod37_2(din) };
}

/** Validates a typed or scanned DIN, with or without spaces and its check character. */
export function parseDin(
  input: string,
): { ok: true; din: string; check: string } | { ok: false; message: string } {
  const raw = input.replace(/\s+/g, "").toUpperCase();
  const din = raw.slice(0, 13);
  if (!DIN_PATTERN.test(din)) {
    return {
      ok: false,
      message: "A DIN is a letter, four digits (facility), two digits (year) and six digits (sequence)",
    };
  }
  const check = mod37_2(din);
  if (raw.length === 14 && raw[13] !== check) {
    return {
      ok: false,
      message: `Check character ${raw[13]} does not match ${check}: the number was mistyped`,
    };
  }
  if (raw.length > 14) return { ok: false, message: "Too many characters for a DIN" };
  return { ok: true, din, check };
}

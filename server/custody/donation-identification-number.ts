/**
 * ISBT 128 Donation Identification Number (DIN): facility identification number (5: a letter and
 * four digits), year (2), sequence (6) — 13 characters — with an ISO/IEC 7064 MOD 37-2 check
 * character printed beside it (in a box on eye-readable labels, not in the barcode).
 */
const MOD37_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";
const FACILITY = /^[A-NP-Z][0-9]{4}$/;
const DIN = /^[A-NP-Z][0-9]{4}[0-9]{2}[0-9]{6}$/;

/**
 * ISO/IEC 7064 MOD 37-2 (pure system, modulus 37, radix 2): P = ((P + value) · 2) mod 37 over the
 * characters, check value = (38 − P) mod 37, written 0–9, A–Z, or * for 36. The string with its
 * check character then satisfies Σ value·2^i ≡ 1 (mod 37). Precondition: characters 0–9, A–Z.
 */
export function mod37_2CheckCharacter(data: string): string {
  let p = 0;
  for (const ch of data) {
    const v = MOD37_ALPHABET.indexOf(ch);
    if (v < 0 || v > 35) throw new Error(`"${ch}" is not a character a DIN can hold (0–9, A–Z).`);
    p = ((p + v) * 2) % 37;
  }
  return MOD37_ALPHABET[(38 - p) % 37] as string;
}

/** Builds a DIN from its parts; `year` may be given as 2026 or 26. Throws naming the bad part. */
export function buildDonationIdentificationNumber(opts: {
  facility: string;
  year: number;
  sequence: number;
}): {
  din: string;
  checkCharacter: string;
  /** As printed: `W0000 15 123456 X`. */
  eyeReadable: string;
} {
  const facility = opts.facility.trim().toUpperCase();
  if (!FACILITY.test(facility)) {
    throw new Error(`Facility code "${opts.facility}" must be a letter (not O) and four digits, e.g. W0000.`);
  }
  if (!Number.isInteger(opts.year) || opts.year < 0)
    throw new Error(`Year ${opts.year} is not a valid year.`);
  if (!Number.isInteger(opts.sequence) || opts.sequence < 0 || opts.sequence > 999_999) {
    throw new Error(`Sequence ${opts.sequence} must be a whole number from 0 to 999999.`);
  }
  const year = String(opts.year % 100).padStart(2, "0");
  const sequence = String(opts.sequence).padStart(6, "0");
  const din = `${facility}${year}${sequence}`;
  const checkCharacter = mod37_2CheckCharacter(din);
  return { din, checkCharacter, eyeReadable: `${facility} ${year} ${sequence} ${checkCharacter}` };
}

export type TDinValidation =
  | { ok: true; din: string; checkCharacter: string; facility: string; year: string; sequence: string }
  | { ok: false; message: string };

/**
 * Validates a typed or scanned DIN: spaces ignored, case-insensitive, an optional leading "="
 * (the ISBT 128 data identifier in barcodes) and an optional 14th check character, which must match.
 */
export function validateDonationIdentificationNumber(input: string): TDinValidation {
  let raw = input.replace(/\s+/g, "").toUpperCase();
  if (raw.startsWith("=")) raw = raw.slice(1);
  if (raw.length !== 13 && raw.length !== 14) {
    return {
      ok: false,
      message: `A DIN has 13 characters (plus an optional check character); got ${raw.length}.`,
    };
  }
  const din = raw.slice(0, 13);
  if (!DIN.test(din)) {
    return {
      ok: false,
      message:
        "A DIN is a facility code (a letter, not O, and four digits), a 2-digit year and a 6-digit sequence.",
    };
  }
  const checkCharacter = mod37_2CheckCharacter(din);
  const given = raw[13];
  if (given !== undefined && given !== checkCharacter) {
    return {
      ok: false,
      message: `Check character ${given} does not match this DIN: the number was mistyped or misread.`,
    };
  }
  return {
    ok: true,
    din,
    checkCharacter,
    facility: din.slice(0, 5),
    year: din.slice(5, 7),
    sequence: din.slice(7),
  };
}

/** The highest sequence a DIN can carry (six digits). */
export const DIN_MAX_SEQUENCE = 999_999;

/**
 * The next `count` sequence numbers for a facility's year, given those already used: numbers run
 * on from the highest used; past 999999 the lowest free ones are taken. Null when the year has too few left.
 */
export function nextDinSequences(used: ReadonlySet<number>, count: number): number[] | null {
  let highest = 0;
  for (const n of used) if (n > highest) highest = n; // no spread: a full year is a million numbers
  const out: number[] = [];
  const free = (n: number) => !used.has(n) && !out.includes(n);
  let next = highest + 1;
  let wrapped = false;
  while (out.length < count) {
    while (next <= DIN_MAX_SEQUENCE && !free(next)) next++;
    if (next > DIN_MAX_SEQUENCE) {
      if (wrapped) return null;
      wrapped = true;
      next = 1;
      continue;
    }
    out.push(next);
  }
  return out;
}

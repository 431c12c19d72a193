import { randomBytes } from "node:crypto";

/**
 * Receipt codes: 10 characters of Crockford's base32 (no I, L, O, U), 9 random (45 bits) and a
 * check character, shown as `XXXXX-XXXXX`. The check is Damm's algorithm over GF(32) with the
 * quasigroup x∗y = 2x ⊕ y (2 ≠ 0, 1 makes it totally anti-symmetric), so every single mistyped
 * character and every swap of two neighbours is caught. Crockford's own mod-37 check would need
 * the symbols * ~ $ = U, which are awkward to read aloud and in URLs.
 *
 * 45 bits make guessing a live code impractical behind rate limits but collisions possible at
 * registry scale: store codes under a unique constraint and draw again on conflict.
 */
export const RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const RECEIPT_CODE_LENGTH = 10;

// Multiplication by x in GF(2^5) modulo the primitive polynomial x^5 + x^2 + 1.
const times2 = (v: number) => ((v << 1) & 31) ^ (v & 16 ? 0b00101 : 0);

function dammInterim(values: readonly number[]): number {
  return values.reduce((interim, v) => times2(interim) ^ v, 0);
}

/** The check character for the 9 data symbols (values 0–31). */
function checkValue(data: readonly number[]): number {
  return times2(dammInterim(data));
}

/** A new random receipt code in canonical form (10 characters, no hyphen). */
export function generateReceiptCode(random: (n: number) => Uint8Array = randomBytes): string {
  const data = [...random(RECEIPT_CODE_LENGTH - 1)].map((b) => b & 31);
  return [...data, checkValue(data)].map((v) => RECEIPT_ALPHABET[v]).join("");
}

/** `ABCDEFGHJK` → `ABCDE-FGHJK`, for printing. */
export function formatReceiptCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * The canonical code for what someone typed (any case, hyphens and spaces, O for 0, I or L for 1),
 * or null when it is not a valid receipt code.
 */
export function parseReceiptCode(input: string): string | null {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (cleaned.length !== RECEIPT_CODE_LENGTH) return null;
  const values = [...cleaned].map((c) => RECEIPT_ALPHABET.indexOf(c));
  if (values.some((v) => v < 0)) return null;
  return dammInterim(values) === 0 ? cleaned : null;
}

export function isValidReceiptCode(input: string): boolean {
  return parseReceiptCode(input) !== null;
}

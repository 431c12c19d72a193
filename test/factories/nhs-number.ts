import { randomBytes } from "node:crypto";

/** A valid NHS number (mod 11) made from 9 random digits, so every test registers a new person. */
export function nhsNumber(): string {
  for (;;) {
    const d = [...randomBytes(9)].map((b) => b % 10);
    const sum = d.reduce((acc, n, i) => acc + n * (10 - i), 0);
    const check = 11 - (sum % 11);
    const c = check === 11 ? 0 : check;
    if (c !== 10) return [...d, c].join("");
  }
}

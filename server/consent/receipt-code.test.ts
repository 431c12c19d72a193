import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatReceiptCode,
  generateReceiptCode,
  isValidReceiptCode,
  parseReceiptCode,
  RECEIPT_ALPHABET,
} from "./receipt-code";

describe("receipt codes", () => {
  it("generates valid 10-character codes from the unambiguous alphabet", () => {
    for (let i = 0; i < 200; i++) {
      const code = generateReceiptCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(isValidReceiptCode(code)).toBe(true);
    }
  });

  it("is deterministic for given random bytes", () => {
    const code = generateReceiptCode(() => new Uint8Array(9));
    expect(code).toBe("0000000000");
    expect(generateReceiptCode(() => Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toHaveLength(10);
  });

  it("accepts what people type", () => {
    const code = generateReceiptCode(() => Uint8Array.from([0, 1, 31, 30, 10, 11, 12, 13, 14]));
    const typed = formatReceiptCode(code).toLowerCase().replace(/0/g, "o").replace(/1/g, "l");
    expect(parseReceiptCode(` ${typed} `)).toBe(code);
    expect(formatReceiptCode(code)).toMatch(/^.{5}-.{5}$/);
  });

  it.each(["", "ABCDE", "ABCDEFGHJKM", "ABCDEFGHJU"])("refuses %j", (input) => {
    expect(parseReceiptCode(input)).toBeNull();
  });

  it("catches every single-character error and every adjacent swap", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 9, maxLength: 9 }), (bytes) => {
        const code = generateReceiptCode(() => bytes);
        for (let i = 0; i < code.length; i++) {
          for (const c of RECEIPT_ALPHABET) {
            if (c === code[i]) continue;
            expect(isValidReceiptCode(code.slice(0, i) + c + code.slice(i + 1))).toBe(false);
          }
          const a = code[i];
          const b = code[i + 1];
          if (b !== undefined && a !== b) {
            expect(isValidReceiptCode(code.slice(0, i) + b + a + code.slice(i + 2))).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

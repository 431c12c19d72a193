/**
 * The path of the first string (or object key) in `value` that contains a NUL character, or null.
 * PostgreSQL cannot store NUL in text, so such input would fail deep in a query; it is refused up
 * front instead. Depth is bounded so a hostile, deeply nested input cannot exhaust the stack.
 */
export function findNulCharacter(value: unknown, path = "input", depth = 0): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (depth > 32 || value === null || typeof value !== "object") return null;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, child] of entries) {
    if (key.includes("\u0000")) return `${path}.(key)`;
    const found = findNulCharacter(child, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

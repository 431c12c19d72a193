/**
 * Where sign-in may send someone back to: a path on this portal only. Anything that could leave
 * the site (an absolute URL, `//host`, `/\host`, a scheme) or loop back to sign-in is refused, so
 * the `next` parameter cannot be used as an open redirect.
 */
export function safeReturnPath(raw: unknown): string | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2000) return null;
  if (!raw.startsWith("/") || raw.startsWith("//")) return null;
  // Browsers read a backslash as a slash and drop tabs and newlines inside URLs.
  if (raw.includes("\\") || [...raw].some((ch) => ch.charCodeAt(0) < 0x21 || ch.charCodeAt(0) === 0x7f))
    return null;
  const base = "http://portal.invalid";
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return null;
  }
  if (url.origin !== base) return null;
  const path = url.pathname;
  if (path === "/sign-in" || path.startsWith("/sign-in/") || path.startsWith("/api/")) return null;
  return `${path}${url.search}${url.hash}`;
}

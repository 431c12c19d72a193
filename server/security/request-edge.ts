import type { IncomingHttpHeaders } from "node:http";

/**
 * Checks made on every HTTP request at the portal's own server, before Next.js sees it: forwarded
 * headers are kept only from a trusted reverse proxy, an address that is not valid percent-encoding
 * is refused, and a body larger than the limit is refused with 413. Pure, so each rule is tested
 * with a table of cases; `server/http-server.ts` applies them.
 */

/** Headers a reverse proxy writes to tell the portal what the client asked for. */
export const FORWARDED_HEADERS = [
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-for",
  "x-forwarded-port",
  "forwarded",
] as const;

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) and `127.0.0.1` are the same address. */
export function normaliseAddress(address: string | undefined): string {
  const a = (address ?? "").trim().toLowerCase();
  return a.startsWith("::ffff:") && a.includes(".") ? a.slice(7) : a;
}

/** Parses `TRUSTED_PROXIES`: comma-separated addresses of the reverse proxies in front of the portal. */
export function parseTrustedProxies(value: string | undefined): ReadonlySet<string> {
  return new Set(
    (value ?? "")
      .split(",")
      .map((s) => normaliseAddress(s))
      .filter(Boolean),
  );
}

/**
 * Whether the connection comes from a configured reverse proxy. Only then do X-Forwarded-Host,
 * -Proto and -For mean anything: from anyone else they are whatever the client chose to send, and
 * trusting them would let a page on another site pass the origin check by naming its own host.
 */
export function fromTrustedProxy(remoteAddress: string | undefined, trusted: ReadonlySet<string>): boolean {
  return trusted.size > 0 && trusted.has(normaliseAddress(remoteAddress));
}

/** Removes the forwarded headers a client sent directly (not through a trusted proxy). */
export function stripForwardedHeaders(headers: IncomingHttpHeaders): void {
  for (const name of FORWARDED_HEADERS) delete headers[name];
}

/**
 * A request target whose path is not valid percent-encoding (e.g. `/verify/%E0%A4%A`) cannot be
 * decoded into route parameters; refuse it as bad input instead of failing inside the router.
 * Returns the reason, or null when the target is fine.
 */
export function malformedTarget(url: string | undefined): string | null {
  const target = url ?? "/";
  const q = target.indexOf("?");
  const path = q === -1 ? target : target.slice(0, q);
  try {
    decodeURIComponent(path);
  } catch {
    return "the address is not valid percent-encoding (a % must be followed by two hex digits of UTF-8)";
  }
  if (q !== -1) {
    for (const part of target.slice(q + 1).split("&")) {
      try {
        decodeURIComponent(part.replace(/\+/g, " "));
      } catch {
        const name = part.split("=")[0] ?? "";
        return `query parameter ${safeName(name)} is not valid percent-encoding`;
      }
    }
  }
  return null;
}

const safeName = (name: string) => JSON.stringify(name.replace(/[^A-Za-z0-9_.-]/g, "?").slice(0, 40));

/** Default request body limit: the largest form or API call the portal takes is far below it. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Whether a declared body is over the limit: `Content-Length` larger than `limit`. A body sent in
 * chunks without a length is counted as it arrives (see `limitBodyStream`).
 */
export function declaredBodyTooLarge(headers: IncomingHttpHeaders, limit: number): boolean {
  const raw = headers["content-length"];
  if (raw === undefined) return false;
  const n = Number(raw);
  return !Number.isFinite(n) || n > limit;
}

export function bodyTooLargeMessage(limit: number): string {
  return `The request body is larger than the portal accepts (${Math.floor(limit / 1024)} KiB at most).`;
}

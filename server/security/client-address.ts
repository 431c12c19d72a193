/**
 * The header in which the portal's own HTTP server passes the client's address to Next.js route
 * handlers and server actions (which cannot see the socket). The server overwrites whatever a
 * client sent under this name, so it cannot be forged.
 */
export const CLIENT_IP_HEADER = "x-portal-client-ip";

/**
 * The client's address for a request arriving on `remoteAddress`. Behind `trustedProxyHops`
 * reverse proxies, each appends the address it saw to X-Forwarded-For, so the client is that many
 * entries from the right; entries further left were written by the client and are not trusted.
 */
export function clientAddress(opts: {
  remoteAddress: string | undefined;
  forwardedFor: string | string[] | undefined;
  trustedProxyHops: number;
}): string {
  const direct = opts.remoteAddress ?? "unknown";
  if (opts.trustedProxyHops <= 0) return direct;
  const forwarded = [opts.forwardedFor ?? []]
    .flat()
    .flatMap((h) => h.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  return forwarded[forwarded.length - opts.trustedProxyHops] ?? forwarded[0] ?? direct;
}

/** The client address the portal's server recorded for this request ("unknown" if none). */
export function clientIpFrom(headers: Headers): string {
  return headers.get(CLIENT_IP_HEADER) ?? "unknown";
}

/** Methods that change nothing, so a cross-site request for them can do no harm. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type TOriginCheck = { ok: true } | { ok: false; reason: string };

export const CROSS_ORIGIN_MESSAGE =
  "This request did not come from the portal's own pages, so it was refused. Reload the portal and try again.";

const first = (value: string | null) => value?.split(",")[0]?.trim().toLowerCase() || null;

/**
 * CSRF defence for state-changing requests: a browser names the page that sent a request in
 * `Sec-Fetch-Site` and `Origin`, and a page on another site cannot forge either. A request is
 * refused when either says it came from elsewhere than the host it was sent to (or from an opaque
 * `null` origin). A request with neither header did not come from a modern browser, so it carries
 * no victim's cookies to abuse (and the session cookie is SameSite=Lax besides).
 * `allowedOrigins`: further origins trusted to post here (e.g. a separate admin front end).
 */
export function checkSameOrigin(opts: {
  method: string;
  headers: Headers;
  allowedOrigins?: readonly string[];
}): TOriginCheck {
  if (SAFE_METHODS.has(opts.method.toUpperCase())) return { ok: true };
  const refuse = (why: string): TOriginCheck => ({ ok: false, reason: `${CROSS_ORIGIN_MESSAGE} (${why})` });

  const site = first(opts.headers.get("sec-fetch-site"));
  if (site === "cross-site" || site === "same-site") return refuse(`sent from a ${site} page`);

  const origin = first(opts.headers.get("origin"));
  if (!origin) return { ok: true };
  if (origin === "null") return refuse("sent from an opaque origin");
  if (opts.allowedOrigins?.some((o) => o.toLowerCase() === origin)) return { ok: true };
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return refuse("malformed Origin header");
  }
  const host = first(opts.headers.get("x-forwarded-host")) ?? first(opts.headers.get("host"));
  if (!host || host !== originHost)
    return refuse(`origin ${originHost} differs from host ${host ?? "(none)"}`);
  return { ok: true };
}

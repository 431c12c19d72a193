import { clientIpFrom } from "@/server/security/client-address";
import { checkSameOrigin } from "@/server/security/origin-check";
import { signInRefusal } from "@/server/security/rate-limit-policy";

/**
 * Wraps next-auth's POST handler (/api/auth/*). next-auth checks its own CSRF token on every POST;
 * this also refuses a cross-origin request outright (403), and turns a sign-in refused by the rate
 * limit, which next-auth reports as a redirect with `code=rate_limited`, into a 429 with
 * Retry-After, so scripts see the limit.
 */
export async function guardAuthPost<R extends Request>(
  req: R,
  handle: (req: R) => Promise<Response>,
): Promise<Response> {
  const origin = checkSameOrigin({ method: req.method, headers: req.headers });
  if (!origin.ok) return Response.json({ error: origin.reason }, { status: 403 });
  const form = req.headers.get("content-type")?.includes("application/x-www-form-urlencoded")
    ? await req
        .clone()
        .formData()
        .catch(() => null)
    : null;
  const res = await handle(req);
  const location = res.headers.get("location") ?? "";
  if (!location.includes("code=rate_limited")) return res;
  const { message, seconds } = await signInRefusal({
    ip: clientIpFrom(req.headers),
    email: String(form?.get("email") ?? ""),
  });
  return Response.json({ error: message }, { status: 429, headers: { "Retry-After": String(seconds) } });
}

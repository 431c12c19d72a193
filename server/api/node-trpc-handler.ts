import "server-only";

import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { currentUserFromCookie } from "@/server/auth/current-user";
import SECURITY_HEADERS from "@/server/security/security-headers.json";
import { handleTrpcRequest } from "./http-handler";

/** Whether a request target is the tRPC endpoint (a path under /api/trpc). */
export const isTrpcPath = (url: string | undefined) => url === "/api/trpc" || !!url?.startsWith("/api/trpc/");

/**
 * Serves /api/trpc straight from the Node server, beside Next.js rather than through it: the same
 * handler, context (session cookie and its server-side session, client address, origin verdict),
 * rate limits and errors as the App Router route, without Next's per-request routing and render
 * set-up, which the profile showed as most of a small call's cost (docs/performance.md). The
 * route in app/api/trpc stays for `next dev`-only setups and serves the same procedures.
 */
export async function serveTrpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    // @ts-expect-error: Node's fetch needs duplex for a streamed body; the DOM types lack it.
    duplex: hasBody ? "half" : undefined,
  });
  const response = await handleTrpcRequest(request, {
    currentUser: () => currentUserFromCookie(req.headers.cookie),
  });
  const body = Buffer.from(await response.arrayBuffer());
  const out: Record<string, string | string[]> = {};
  for (const { key, value } of SECURITY_HEADERS) out[key] = value;
  response.headers.forEach((value, key) => {
    out[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) out["set-cookie"] = cookies;
  out["content-length"] = String(body.length);
  res.writeHead(response.status, out);
  res.end(body);
}

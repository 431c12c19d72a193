import "server-only";

import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import SECURITY_HEADERS from "@/server/security/security-headers.json";

/**
 * The Fetch API request for a Node request, for the handlers the portal serves beside Next.js
 * (tRPC, next-auth): headers as sent, the body streamed rather than read up front.
 */
export function toWebRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    // @ts-expect-error: Node's fetch needs duplex for a streamed body; the DOM types lack it.
    duplex: hasBody ? "half" : undefined,
  });
}

/**
 * Writes a Fetch API response to the Node response, with the security headers next.config.js
 * gives every response Next.js serves, and every Set-Cookie kept apart.
 */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
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

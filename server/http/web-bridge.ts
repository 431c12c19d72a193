import "server-only";

import type { IncomingMessage, ServerResponse } from "node:http";
import SECURITY_HEADERS from "@/server/security/security-headers.json";

/**
 * The Fetch API request for a Node request, for the handlers the portal serves beside Next.js
 * (tRPC, next-auth): headers as sent, the body read first. Bodies are small and bounded (the server
 * refuses one past MAX_BODY_BYTES and closes the connection), and a web stream over the Node stream
 * cost a custody step more than reading it: its promise machinery was a tenth of the step's CPU.
 */
export async function toWebRequest(req: IncomingMessage): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
    method: req.method,
    headers,
    body: hasBody ? new Uint8Array(await readBody(req)) : undefined,
  });
}

/** The whole body of a request; rejects when the client goes away (or the size limit cuts it off) first. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.once("error", reject);
    req.once("close", () => {
      if (!req.complete) reject(new Error("the request ended before its body was complete"));
    });
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

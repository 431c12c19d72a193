import "server-only";

import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { isTrpcPath, serveTrpc } from "@/server/api/node-trpc-handler";
import { isAuthPath, serveAuth } from "@/server/auth/node-auth-handler";
import { env } from "@/server/env";
import { attachCustodyHandlers } from "@/server/live/custody-socket";
import { liveRegistry } from "@/server/live/registry";
import { attachSocketServer } from "@/server/live/socket-server";
import { CLIENT_IP_HEADER, clientAddress } from "@/server/security/client-address";
import {
  bodyTooLargeMessage,
  declaredBodyTooLarge,
  fromTrustedProxy,
  malformedTarget,
  parseTrustedProxies,
  stripForwardedHeaders,
} from "@/server/security/request-edge";

export type TPortalServer = { url: string; close(): Promise<void> };

/**
 * One Node server for the whole portal: Next.js pages and API routes, and socket.io on the same
 * port, so the live channel shares the pages' origin and session cookie.
 */
export async function startPortalServer(opts: { dev: boolean }): Promise<TPortalServer> {
  const { HOST, PORT, AUTH_SECRET, REDIS_URL, TRUSTED_PROXY_HOPS, TRUSTED_PROXIES, MAX_BODY_BYTES } = env();
  const trustedProxies = parseTrustedProxies(TRUSTED_PROXIES);
  if (!AUTH_SECRET) throw new Error("AUTH_SECRET is required to start the portal server");
  const app = next({ dev: opts.dev, hostname: HOST, port: PORT, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();

  const httpServer = createServer((req, res) => {
    // X-Forwarded-* mean something only when a configured reverse proxy wrote them.
    const viaProxy = fromTrustedProxy(req.socket.remoteAddress, trustedProxies);
    if (!viaProxy) stripForwardedHeaders(req.headers);
    // Route handlers and server actions cannot see the socket: pass the client's address (for rate
    // limits) in a header, overwriting any value the client sent under that name.
    req.headers[CLIENT_IP_HEADER] = clientAddress({
      remoteAddress: req.socket.remoteAddress,
      forwardedFor: req.headers["x-forwarded-for"],
      trustedProxyHops: viaProxy ? Math.max(1, TRUSTED_PROXY_HOPS) : 0,
    });
    const malformed = malformedTarget(req.url);
    if (malformed) return refuse(res, 400, `Bad request: ${malformed}.`);
    if (declaredBodyTooLarge(req.headers, MAX_BODY_BYTES)) {
      return refuse(res, 413, bodyTooLargeMessage(MAX_BODY_BYTES));
    }
    limitBodyStream(req, res, MAX_BODY_BYTES);
    const served = isTrpcPath(req.url)
      ? serveTrpc(req, res)
      : isAuthPath(req.url)
        ? serveAuth(req, res)
        : handle(req, res);
    served.catch((err: unknown) => {
      console.error(`[http] ${(err as Error)?.message ?? err}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal error");
    });
  });
  const channelKey = `portal:${createHash("sha256")
    .update(env().DATABASE_URL ?? "")
    .digest("hex")
    .slice(0, 16)}`;
  const io = await attachSocketServer(httpServer, {
    authSecret: AUTH_SECRET,
    redisUrl: REDIS_URL,
    channelKey,
  });
  attachCustodyHandlers(io); // catch-up after a reconnect

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new Error(`Port ${PORT} is in use: set PORT to another port`) : err),
    );
    httpServer.listen(PORT, HOST, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : PORT;
  const shownHost = HOST === "127.0.0.1" || HOST === "0.0.0.0" ? "localhost" : HOST;

  return {
    url: `http://${shownHost}:${port}`,
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      liveRegistry().io = null;
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await app.close?.();
    },
  };
}

/** Answers before Next.js sees the request, and closes the connection (its body is not read). */
function refuse(res: ServerResponse, status: 400 | 413, message: string): void {
  res.writeHead(status, { "content-type": "application/json", connection: "close" });
  res.end(JSON.stringify({ error: message }));
}

/**
 * A body sent in chunks has no Content-Length to check up front: count it as the parser hands it
 * over, and refuse with 413 once it passes the limit, so a client cannot make the portal hold an
 * arbitrarily large body in memory.
 */
function limitBodyStream(req: IncomingMessage, res: ServerResponse, limit: number): void {
  let seen = 0;
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (chunk !== null && chunk !== undefined) {
      seen += (chunk as Buffer).length;
      if (seen > limit) {
        if (!res.headersSent) refuse(res, 413, bodyTooLargeMessage(limit));
        req.socket.destroySoon?.();
        return false;
      }
    }
    return push(chunk, encoding);
  };
}

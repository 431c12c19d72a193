import "server-only";

import type { IncomingMessage, ServerResponse } from "node:http";
import { currentUserFromCookie } from "@/server/auth/current-user";
import { sendWebResponse, toWebRequest } from "@/server/http/web-bridge";
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
  const response = await handleTrpcRequest(await toWebRequest(req), {
    currentUser: () => currentUserFromCookie(req.headers.cookie),
  });
  await sendWebResponse(res, response);
}

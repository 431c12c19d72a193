import "server-only";

import type { IncomingMessage, ServerResponse } from "node:http";
import { sendWebResponse, toWebRequest } from "@/server/http/web-bridge";

/** Whether a request target is one of next-auth's endpoints (a path under /api/auth). */
export const isAuthPath = (url: string | undefined) =>
  !!url && (url === "/api/auth" || url.startsWith("/api/auth/") || url.startsWith("/api/auth?"));

// Loaded on first use, after Next.js has started: next/server and next/headers bind to the request
// storage Next sets up then (loaded earlier, they keep a stand-in that throws). Kept: a dynamic
// import() on every request goes through the module loader's hooks again (5 % of a sign-in).
let handlers: ReturnType<typeof loadHandlers> | undefined;
const loadHandlers = () =>
  Promise.all([import("next/server"), import("./route-handlers")]).catch((err: unknown) => {
    handlers = undefined; // try again on the next request
    throw err;
  });

/**
 * Serves /api/auth straight from the Node server, as /api/trpc is: the same handlers, origin check
 * and rate-limit answers as the App Router route, without Next's routing and request set-up, which
 * cost about 3 ms of CPU per request, two requests per sign-in (docs/performance.md). The sign-in
 * form's server action still goes through Next and reaches the same next-auth configuration.
 */
export async function serveAuth(req: IncomingMessage, res: ServerResponse): Promise<void> {
  handlers ??= loadHandlers();
  const [{ NextRequest }, { authGET, authPOST }] = await handlers;
  const request = new NextRequest(await toWebRequest(req));
  const response =
    req.method === "GET" || req.method === "HEAD"
      ? await authGET(request)
      : req.method === "POST"
        ? await authPOST(request)
        : new Response(
            JSON.stringify({ error: `${req.method} is not allowed on ${request.nextUrl.pathname}` }),
            {
              status: 405,
              headers: { "content-type": "application/json", allow: "GET, HEAD, POST" },
            },
          );
  await sendWebResponse(res, response);
}

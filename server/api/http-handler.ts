import "server-only";

import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { TSessionUser } from "@/server/auth/roles";
import { clientIpFrom } from "@/server/security/client-address";
import { checkSameOrigin } from "@/server/security/origin-check";
import { retryAfterOf } from "@/server/security/rate-limit-policy";
import { appRouter } from "./root";

/** What a client is told to wait when the database is away (a restart takes a few seconds). */
const DATABASE_RETRY_S = 5;

/**
 * Serves /api/trpc: builds the context from the session and the request (client address, and the
 * CSRF verdict on its origin), and adds Retry-After to a response refused by a rate limit or while the database is away.
 */
export function handleTrpcRequest(
  req: Request,
  opts: { currentUser: () => Promise<TSessionUser | null> },
): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => {
      const origin = checkSameOrigin({ method: req.method, headers: req.headers });
      return {
        user: await opts.currentUser(),
        http: { clientIp: clientIpFrom(req.headers), crossOriginRefusal: origin.ok ? null : origin.reason },
      };
    },
    responseMeta({ errors }) {
      const waits = errors
        .map(
          (e) => retryAfterOf(e.cause) ?? (e.code === "SERVICE_UNAVAILABLE" ? DATABASE_RETRY_S : undefined),
        )
        .filter((s): s is number => s !== undefined);
      return waits.length ? { headers: { "Retry-After": String(Math.max(...waits)) } } : {};
    },
  });
}

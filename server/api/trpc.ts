import "server-only";

import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import { ROLES, type TRole, type TSessionUser } from "@/server/auth/roles";
import { isDatabaseUnavailable } from "@/server/db/unavailable";
import { isAppError, type TAppErrorCode } from "@/server/errors";
import { findNulCharacter } from "@/server/security/input-text";
import { limitApiCall, retryAfterOf } from "@/server/security/rate-limit-policy";
import { trpcTransformer } from "./superjson-output";

/**
 * What the HTTP route knows about a request that arrived over the network: the client's address
 * (for rate limits) and, for a request a browser sent from another site, why it is refused (CSRF).
 */
export type THttpRequestInfo = { clientIp: string; crossOriginRefusal: string | null };

/**
 * Per-request context: who is calling. Built by the route handler (or by tests with any user).
 * `http` is absent for server-side callers (server components, tests), which are our own code.
 */
export type TContext = { user: TSessionUser | null; requestId?: string; http?: THttpRequestInfo };

/**
 * Every procedure must declare who may call it. A procedure built without `access` is refused at
 * run time (deny by default), and the authorisation test walks the router to prove none is missing.
 */
export type TMeta = {
  access?: "public" | readonly TRole[];
  /**
   * For a mutation whose only effect is a record of a read (an access-log entry) or a read-only job:
   * it must be a POST under the origin check, yet regulators, who change nothing, may call it. The
   * authorisation test lists every such procedure.
   */
  readOnlyEffect?: string;
};

const STATUS_OF: Record<TAppErrorCode, TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

const t = initTRPC
  .context<TContext>()
  .meta<TMeta>()
  .create({
    transformer: trpcTransformer,
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? error.cause : null;
      const fieldErrors = zod
        ? Object.fromEntries(zod.issues.map((i) => [i.path.join(".") || "(input)", i.message]))
        : isAppError(error.cause)
          ? error.cause.fieldErrors
          : undefined;
      const retryAfter = retryAfterOf(error.cause);
      // Never leak stack traces or SQL: an unexpected error becomes a generic message.
      const message =
        error.code === "INTERNAL_SERVER_ERROR"
          ? "Something went wrong on our side; nothing was saved. Please try again."
          : zod
            ? zod.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")
            : shape.message;
      return {
        ...shape,
        message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          fieldErrors,
          ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const DATABASE_UNAVAILABLE = "The database is briefly unavailable; please try again in a few seconds.";

/** Maps domain AppErrors to tRPC errors and hides everything else. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: STATUS_OF[cause.code], message: cause.message, cause });
  }
  if (
    !result.ok &&
    result.error.code === "INTERNAL_SERVER_ERROR" &&
    isDatabaseUnavailable(result.error.cause)
  ) {
    // A restart or fail-over: the transaction was rolled back, so trying again is safe.
    console.error(`[trpc] database unavailable: ${result.error.cause?.message.split("\n").at(-1)}`);
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: DATABASE_UNAVAILABLE,
      cause: result.error.cause,
    });
  }
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    console.error(
      `[trpc] ${result.error.cause?.name ?? "Error"}: ${result.error.cause?.message ?? result.error.message}`,
    );
  }
  return result;
});

const enforceAccess = t.middleware(({ ctx, meta, next }) => {
  const access = meta?.access;
  if (!access) throw new TRPCError({ code: "FORBIDDEN", message: "This procedure declares no access rule." });
  if (access === "public") return next();
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  if (!access.includes(ctx.user.role)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Your role may not do this." });
  }
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Requests from the network: mutations must come from the portal's own pages, and all are rate limited. */
const guardHttp = t.middleware(async ({ ctx, meta, type, next }) => {
  if (!ctx.http) return next();
  if (type === "mutation" && ctx.http.crossOriginRefusal) {
    throw new TRPCError({ code: "FORBIDDEN", message: ctx.http.crossOriginRefusal });
  }
  await limitApiCall({
    userId: ctx.user?.id ?? null,
    ip: ctx.http.clientIp,
    type,
    isPublic: meta?.access === "public",
  });
  return next();
});

/** PostgreSQL cannot store NUL in text: refuse it as bad input rather than fail in a query. */
const refuseNulText = t.middleware(async ({ getRawInput, next }) => {
  const path = findNulCharacter(await getRawInput());
  if (path) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `${path}: text may not contain NUL characters (\\u0000)`,
    });
  }
  return next();
});

const base = t.procedure.use(mapErrors).use(enforceAccess).use(guardHttp).use(refuseNulText);

/** Anyone, signed in or not (public verification pages). */
export const publicProcedure = base.meta({ access: "public" });

/** Signed-in users whose role is in `roles`; `ctx.user` is non-null inside. */
export function roleProcedure(...roles: [TRole, ...TRole[]]) {
  return base.meta({ access: roles }).use(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
    return next({ ctx: { ...ctx, user: ctx.user } });
  });
}

/** Every role (server/auth/roles.ts holds the one list). */
export const ALL_ROLES = ROLES;

/** Any signed-in user. */
export const authedProcedure = roleProcedure(...ALL_ROLES);

export { z };

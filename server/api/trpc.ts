import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { TRole, TSessionUser } from "@/server/auth/roles";
import { isAppError, type TAppErrorCode } from "@/server/errors";

/** Per-request context: who is calling. Built by the route handler (or by tests with any user). */
export type TContext = { user: TSessionUser | null; requestId?: string };

/**
 * Every procedure must declare who may call it. A procedure built without `access` is refused at
 * run time (deny by default), and the authorisation test walks the router to prove none is missing.
 */
export type TMeta = { access?: "public" | readonly TRole[] };

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
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? error.cause : null;
      const fieldErrors = zod
        ? Object.fromEntries(zod.issues.map((i) => [i.path.join(".") || "(input)", i.message]))
        : isAppError(error.cause)
          ? error.cause.fieldErrors
          : undefined;
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
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Maps domain AppErrors to tRPC errors and hides everything else. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: STATUS_OF[cause.code], message: cause.message, cause });
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

const base = t.procedure.use(mapErrors).use(enforceAccess);

/** Anyone, signed in or not (public verification pages). */
export const publicProcedure = base.meta({ access: "public" });

/** Signed-in users whose role is in `roles`; `ctx.user` is non-null inside. */
export function roleProcedure(...roles: [TRole, ...TRole[]]) {
  return base.meta({ access: roles }).use(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
    return next({ ctx: { ...ctx, user: ctx.user } });
  });
}

export const ALL_ROLES = [
  "DONOR",
  "OPO_COORDINATOR",
  "CENTER_COORDINATOR",
  "COURIER",
  "REGULATOR",
  "ADMIN",
] as const satisfies readonly TRole[];

/** Any signed-in user. */
export const authedProcedure = roleProcedure(...ALL_ROLES);

export { z };

import "server-only";

import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { isAppError, type TAppErrorCode } from "@/server/errors";

/**
 * Why a procedure that a route handler called through `serverCaller()` refused, sorted as the route
 * answers it: the guard (no session, a role that may not), the input (its zod issues, or text the
 * guard refused before parsing, such as NUL), or the domain (its AppError). Null for anything else
 * (a failure), which the route rethrows.
 */
export type TProcedureRefusal =
  | { kind: "sign-in" }
  | { kind: "role" }
  | { kind: "input"; issues: ZodError["issues"]; message: string }
  | { kind: "domain"; code: TAppErrorCode; message: string };

export function procedureRefusal(err: unknown): TProcedureRefusal | null {
  if (!(err instanceof TRPCError)) return null;
  if (isAppError(err.cause)) return { kind: "domain", code: err.cause.code, message: err.cause.message };
  if (err.code === "UNAUTHORIZED") return { kind: "sign-in" };
  if (err.code === "FORBIDDEN") return { kind: "role" };
  if (err.code === "BAD_REQUEST") {
    const issues = err.cause instanceof ZodError ? err.cause.issues : [];
    return { kind: "input", issues, message: err.message };
  }
  return null;
}

/** A route handler's refusal: `{ error }` as JSON with its status. */
export const refusal = (status: number, error: string, init?: ResponseInit) =>
  Response.json({ error }, { ...init, status });

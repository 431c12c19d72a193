import "server-only";

import { TRPCError } from "@trpc/server";
import { forbidden, notFound } from "next/navigation";
import { createCaller } from "@/server/api/root";
import { currentUser } from "@/server/auth/config";
import type { TSessionUser } from "@/server/auth/roles";
import { redirectToSignIn } from "../(portal)/sign-in-redirect";

/**
 * The tRPC caller for server components: pages read domain data through the same procedures as
 * the API, so one authorisation matrix, one input validation and one output shape cover both.
 */
export async function serverCaller(sessionUser?: TSessionUser | null) {
  // A layout that has just read the session passes its user: one session check per render, not two.
  return createCaller({ user: sessionUser === undefined ? await currentUser() : sessionUser });
}

/**
 * Runs a page's procedure call: not found → the 404 page, no session → sign-in (back here after),
 * a role that may not → the "not for your role" page; anything else is a real error.
 */
export async function pageData<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof TRPCError) {
      if (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST") notFound();
      if (err.code === "UNAUTHORIZED") return redirectToSignIn();
      if (err.code === "FORBIDDEN") forbidden();
    }
    throw err;
  }
}

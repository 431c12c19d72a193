import { forbidden } from "next/navigation";
import { currentUser } from "@/server/auth/config";
import type { TRole, TSessionUser } from "@/server/auth/roles";
import { redirectToSignIn } from "./sign-in-redirect";

/** For a role's pages: signed-out users go to sign-in (and come back after), other roles get 403. */
export async function requireRole(...roles: TRole[]): Promise<TSessionUser> {
  const user = await currentUser();
  if (!user) return redirectToSignIn();
  if (!roles.includes(user.role)) forbidden();
  return user;
}

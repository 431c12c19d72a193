import { forbidden, redirect } from "next/navigation";
import { currentUser } from "@/server/auth/config";
import type { TRole, TSessionUser } from "@/server/auth/roles";

/** For a role's pages: signed-out users go to sign-in, other roles get 403. */
export async function requireRole(...roles: TRole[]): Promise<TSessionUser> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  if (!roles.includes(user.role)) forbidden();
  return user;
}

import { redirect } from "next/navigation";
import { currentUser } from "@/server/auth/config";
import { ROLE_HOME } from "@/server/auth/roles";

export const dynamic = "force-dynamic";

/** Where sign-in lands: each role goes to its own workspace. */
export default async function HomeRedirect() {
  const user = await currentUser();
  redirect(user ? ROLE_HOME[user.role] : "/sign-in");
}

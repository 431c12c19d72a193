import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeReturnPath } from "@/app/sign-in/return-path";

/**
 * Sends a signed-out visitor to sign-in, carrying the page they asked for (set by proxy.ts as
 * x-pathname) so sign-in can bring them back to it.
 */
export async function redirectToSignIn(): Promise<never> {
  const asked = safeReturnPath((await headers()).get("x-pathname"));
  redirect(asked ? `/sign-in?next=${encodeURIComponent(asked)}` : "/sign-in");
}
